import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {focus, initialUiState, initUiState, moveCursor, uiReducer, VIEWS, type UiAction, type UiState} from '../../source/ui/ui-state.js';

const run = (actions: UiAction[], from: UiState = initialUiState) => actions.reduce(uiReducer, from);

describe('ui state', () => {
	test('views: direct, cycling both ways and wrapping', () => {
		assert.equal(run([{type: 'view', view: 'cache'}]).view, 'cache');
		let state = initialUiState;
		const seen: string[] = [];
		for (let i = 0; i < VIEWS.length; i++) {
			state = uiReducer(state, {type: 'cycleView', delta: 1});
			seen.push(state.view);
		}
		assert.deepEqual(seen, ['latency', 'tokens', 'cache', 'explorer', 'slo', 'compare', 'events', 'overview']);
		assert.equal(uiReducer(initialUiState, {type: 'cycleView', delta: -1}).view, 'events');
	});

	test('overlays toggle, close on Esc and on a view switch', () => {
		const help = run([{type: 'toggleOverlay', overlay: 'help'}]);
		assert.equal(help.overlay, 'help');
		assert.equal(focus(help), 'overlay');
		assert.equal(uiReducer(help, {type: 'toggleOverlay', overlay: 'help'}).overlay, null);
		assert.equal(uiReducer(help, {type: 'toggleOverlay', overlay: 'explain'}).overlay, 'explain');
		assert.equal(uiReducer(help, {type: 'back'}).overlay, null);
		assert.equal(uiReducer(help, {type: 'view', view: 'tokens'}).overlay, null);
	});

	test('the cursor stays in range and in view', () => {
		const bounds = {total: 10, page: 4};
		let list = {cursor: 0, top: 0};
		list = moveCursor(list, 5, bounds);
		assert.deepEqual(list, {cursor: 5, top: 2});
		list = moveCursor(list, 99, bounds);
		assert.deepEqual(list, {cursor: 9, top: 6});
		list = moveCursor(list, 3, bounds);
		assert.deepEqual(list, {cursor: 3, top: 3});
		assert.deepEqual(moveCursor(list, -5, bounds), {cursor: 0, top: 0});
		assert.deepEqual(moveCursor({cursor: 0, top: 0}, 2, {total: 0, page: 4}), {cursor: 0, top: 0});
	});

	test('explorer: filter typing resets the cursor, Esc closes detail then clears the filter', () => {
		const bounds = {total: 30, page: 5};
		let state = run([{type: 'view', view: 'explorer'}, {type: 'move', delta: 7, ...bounds}]);
		assert.equal(focus(state), 'families');
		assert.equal(state.explorer.list.cursor, 7);
		state = run([{type: 'filterStart'}, {type: 'filterType', text: 't'}, {type: 'filterType', text: 'x'}, {type: 'filterErase'}, {type: 'filterType', text: 'tf'}, {type: 'filterDone'}], state);
		assert.equal(state.explorer.filter, 'ttf');
		assert.equal(state.explorer.editing, false);
		assert.equal(state.explorer.list.cursor, 0);
		state = run([{type: 'open', name: 'fastdeploy:x'}, {type: 'move', delta: 3, total: 50, page: 10}], state);
		assert.equal(focus(state), 'detail');
		assert.equal(state.explorer.detailTop, 3);
		state = uiReducer(state, {type: 'back'});
		assert.equal(state.explorer.open, null);
		assert.equal(state.explorer.filter, 'ttf');
		state = uiReducer(state, {type: 'back'});
		assert.equal(state.explorer.filter, '');
		assert.equal(run([{type: 'filterStart'}, {type: 'filterType', text: 'a'}, {type: 'filterCancel'}]).explorer.filter, '');
	});

	test('home, end and paging scroll overlays within their text', () => {
		const bounds = {total: 100, page: 20};
		let state = run([{type: 'toggleOverlay', overlay: 'explain'}, {type: 'end', ...bounds}]);
		assert.equal(state.overlayTop, 80);
		state = uiReducer(state, {type: 'move', delta: 20, ...bounds});
		assert.equal(state.overlayTop, 80);
		state = uiReducer(state, {type: 'home', ...bounds});
		assert.equal(state.overlayTop, 0);
	});

	test('latency rows clamp; targets cycle only when there are several', () => {
		const state = run([{type: 'view', view: 'latency'}, {type: 'move', delta: 10, total: 7, page: 7}]);
		assert.equal(state.latencyRow, 6);
		assert.equal(uiReducer(state, {type: 'move', delta: -10, total: 7, page: 7}).latencyRow, 0);
		assert.equal(uiReducer(initialUiState, {type: 'nextTarget', count: 1}).target, 0);
		assert.equal(run([{type: 'nextTarget', count: 2}, {type: 'nextTarget', count: 2}]).target, 0);
	});

	test('fleet: first with several targets, in the Tab cycle, Enter drills in, Esc comes back, s sorts there only', () => {
		assert.equal(initUiState(1).view, 'overview');
		const fleet = initUiState(3);
		assert.equal(fleet.view, 'fleet');
		assert.equal(focus(fleet), 'fleet');
		assert.equal(uiReducer(fleet, {type: 'cycleView', delta: 1, targets: 3}).view, 'overview');
		assert.equal(uiReducer(fleet, {type: 'cycleView', delta: -1, targets: 3}).view, 'events');
		assert.equal(uiReducer({...fleet, view: 'events'}, {type: 'cycleView', delta: 1, targets: 3}).view, 'fleet');
		const order = [1, 2, 0];
		const moved = run([{type: 'fleetMove', order, page: 2, delta: 1}, {type: 'fleetMove', order, page: 2, delta: 1}], fleet);
		assert.deepEqual(moved.fleet, {selected: 0, top: 1, sort: 'name', reverse: false}, 'from the first row shown (target 1) two ↓ reach target 0, the last row');
		const up = run([{type: 'fleetMove', order, page: 2, delta: -1}, {type: 'fleetMove', order, page: 2, delta: -1}], fleet);
		assert.deepEqual(up.fleet, {selected: 1, top: 0, sort: 'name', reverse: false}, 'two keys at once move two rows');
		assert.deepEqual(run([{type: 'fleetMove', order, page: 2, to: 'last'}], up).fleet, {selected: 0, top: 1, sort: 'name', reverse: false});
		const drilled = run([{type: 'fleetMove', order, page: 2, delta: 1}, {type: 'drill', order}], up);
		assert.deepEqual([drilled.view, drilled.target], ['overview', 2]);
		assert.equal(uiReducer(drilled, {type: 'back'}).view, 'overview', 'one target: Esc stays');
		const back = uiReducer(drilled, {type: 'back', targets: 3});
		assert.deepEqual([back.view, back.fleet.selected], ['fleet', 2]);
		assert.equal(uiReducer(back, {type: 'fleetSort'}).fleet.sort, 'requestRate');
		assert.equal(uiReducer(drilled, {type: 'fleetSort'}).fleet.sort, 'name', 's does nothing outside the Fleet view');
	});
});
