'use strict';
/*
 * Preloaded (node --require) by scripts/build.mjs into the run of the bin that makes its code
 * caches, and by test/build.test.ts: the bin's stdin and stdout are pipes, made to look like a
 * 120x40 terminal so that fdtop shows its live UI into them (and reads keys, such as q, from stdin).
 */
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, for node --require */
const process = require('node:process');
process.stdout.isTTY = true;
process.stdout.columns = 120;
process.stdout.rows = 40;
process.stdout.getColorDepth = () => 8;
process.stdout.hasColors = (count = 16) => count <= 256;
process.stdin.isTTY = true;
process.stdin.setRawMode = () => process.stdin;
