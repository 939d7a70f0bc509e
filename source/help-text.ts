/** `fdtop --help`: every flag, what it does and its default (README's usage section shows the same). */
export const HELP = `
  Usage
    $ fdtop [options] [target …]

  Targets
    http://host:8001/metrics   a metrics URL (a bare host gets /metrics)
    host:8001, :8001           shorthand for http://host:8001/metrics
    metrics.txt, -             a saved exposition (curl …/metrics > metrics.txt) or stdin
    rec.jsonl[.gz]             a recording made with --record: replayed
    name=target                give a target a short name
    --targets FILE             one target per line (name=target allowed, # comments)
    --prometheus URL           read a Prometheus server that scrapes the fleet
    With no target fdtop watches the config file's targets, if any, else tries
    localhost:8001 (FastDeploy 2.0–2.2) then localhost:8000 (2.3+).

  Options
    --once               print one report and exit (live targets: two scrapes one interval apart)
    --json               with --once: print JSON instead of a table
    --families           with --json: add every parsed metric family (known or not)
    -i, --interval DUR   scrape interval (default 1s; e.g. 500ms, 2s)
    -w, --window DUR     window for rates and percentiles (default 60s; e.g. 30s, 5m),
                         as PromQL's rate(x[DUR]) at the last scrape (Prometheus 3 ranges)
    --timeout DUR        per-scrape timeout (default 5s)
    --max-bytes N        response size cap in bytes (default 16 MiB; e.g. 32MiB)
    --max-series N       keep at most N series per scrape (default 200000)
    --concurrency N      scrapes in flight at once, all targets (default 64)
    -H, --header 'K: V'  extra request header (repeatable)
    --token-file FILE    bearer token file (or set FDTOP_TOKEN); never printed
    --insecure           accept a self-signed TLS certificate
    --no-color           no colours (NO_COLOR is honoured too)
    --ascii              ASCII only, no Unicode glyphs (chosen by itself when the
                         locale is not UTF-8, e.g. LANG=C, or TERM is linux, vt100)
    --no-ascii, --unicode  Unicode glyphs whatever the locale and TERM say
    --lang en|zh         language of screens, reports, errors (default: LC_ALL,
                         LC_MESSAGES or LANG starting with zh)
    --era VERSION        the FastDeploy version (2.0, 2.1, 2.2, 2.3, 2.4+) instead
                         of the guess from the metrics (shown 2.3 certain, 2.3? likely)
    --match SELECTOR     with --prometheus: label matchers only, e.g. '{job="llm_job"}'
    --max-api-bytes N    with --prometheus: cap on each API answer (default 64 MiB)
    --slo 'OBJECTIVE'    a latency objective, repeatable: 'ttft<=2s:99%',
                         'tpot <= 100ms for 90%' (ttft tpot e2e queue prefill
                         decode inference, or any catalog histogram); adds the
                         SLO view (key 6), a verdict strip, and slo/goodput in --json
    --alert 'RULE'       an alert rule, repeatable: 'kv_cache >= 90% for 30s',
                         'waiting > 50 for 1m', 'rate(send_cache_failed) > 0',
                         'p99(ttft) > 2s for 1m', 'up == 0'; pending, then firing
                         after "for"; a strip on every view, alerts in --json
    --record FILE        record every scrape (raw text) to FILE; FILE.gz compresses;
                         appends to a recording of the same targets, never
                         replaces another file or writes through a symlink
    --record-overwrite   let --record replace FILE whatever it holds (or
                         write where a symlink points)
    --demo [NAME]        replay a bundled demo recording in a loop (no server needed)
    --speed N            replay speed, e.g. 0.5, 2, 10 (default 1)
    --loop               start a replay over when it ends
    --config FILE        read settings from FILE (default: $XDG_CONFIG_HOME/fdtop/
                         config.yaml, else ~/.config/fdtop/config.yaml, when there)
    --no-config          read no config file
    -h, --help           this help
    -v, --version        the version

  Check (exit 0 all met, 1 one breached, 3 cannot judge, 2 bad usage;
  an alert rule firing on any target is exit 1 too, a pending one is not)
    $ fdtop check :8000 --slo 'ttft<=2s:99%' --slo 'e2e<=30s:95%' -w 5m
                         two scrapes one window apart (progress on stderr)
    $ fdtop check --prometheus http://prom:9090 --slo 'ttft<=2s:99%' -w 1h
    $ fdtop check run.jsonl.gz --slo 'ttft<=2s:99%' [--whole] [--json]
                         a recording's last window, or all of it with --whole
                         3: a target unreadable, no requests, n too small (under
                         5 requests), or above the top bucket; burn needs its
                         window covered (else '3m of 1h')
    in CI a step fails on 1, 3 or 2; from cron (write % as \\% there), mail it:
    */5 * * * * fdtop check gpu1:8000 --slo 'ttft<=2s:99\\%' -w 1m >/tmp/slo 2>&1
      || mail -s "SLO: exit $?" ops </tmp/slo    (one line in the crontab)
    $ fdtop check :8000 --alert 'kv_cache >= 90% for 30s' -w 1m
                         rules judged over the scrapes seen (two, a window apart;
                         a recording's window, or all of it with --whole): a
                         "for" longer than that span stays pending

  Compare (A against B: change and significance of every headline figure)
    $ fdtop compare before.jsonl.gz after.jsonl.gz [--json] [--slo …]
    $ fdtop compare run.jsonl.gz,0/5m run.jsonl.gz,5m/5m    two halves
    $ fdtop compare :8000 baseline.jsonl.gz -w 1m   live, watched for -w
    $ fdtop compare prom+http://prom:9090,-2h/1h prom+http://prom:9090,-1h
                         each side: FILE, demo:NAME, host:port or prom+URL,
                         with ,START/DURATION (START: 5m after the start,
                         -5m before the end or now, or 2026-12-01T10:00Z);
                         --windows 6 per side, --alpha 0.01
    $ fdtop :8000 --baseline before.jsonl.gz   view 7 compares the live
                         window against the baseline recording

  Config file (YAML; README "Config file" has a full example)
    $ fdtop config init [FILE] [--force]   write a commented example
    $ fdtop config check [FILE]            validate it; print its targets, objectives,
                                           alerts and defaults (secrets [redacted])
    targets: named targets (url, headers, token-file): fdtop prod-a watches one,
    fdtop with no target all of them (instead of probing :8001 and :8000);
    interval, window, timeout, max-bytes, max-series, concurrency, lang, ascii,
    color, insecure, era: defaults, named as the flags; slo: and alerts: lists.
    Precedence: flags beat the environment (FDTOP_TOKEN, NO_COLOR, a zh locale,
    a locale or TERM without Unicode) beat the file beat the defaults.

  Export
    $ fdtop export rec.jsonl.gz --format openmetrics -o rec.om
    then: promtool tsdb create-blocks-from openmetrics rec.om ./data
    $ fdtop report run.jsonl.gz [--compare other.jsonl.gz] [--slo …] -o report.html
                         one HTML file, opens offline: charts, distributions, verdicts,
                         events (--alert … adds alerts), with --compare: fdtop compare

  Proxies
    HTTP_PROXY, HTTPS_PROXY, NO_PROXY (or lowercase) are honoured for scrapes and
    --prometheus, as undici reads them: NO_PROXY lists hosts (and their subdomains,
    host:port for one port, * for all) to reach directly. Loopback (127.0.0.0/8,
    ::1, localhost) is never proxied. Proxy credentials: http://user:pw@proxy:3128.

  Exit status: 0 every target read, 1 a target could not be read or --record
  failed, 2 bad usage (a misspelt flag or command: one line naming the nearest).

  Examples
    $ fdtop                              watch FastDeploy on this host
    $ fdtop gpu1:8001 --window 5m        a remote endpoint, five-minute percentiles
    $ fdtop --once --json :8001 | jq '.targets[0].metrics.ttft.window.p99'
    $ curl -s :8001/metrics > m.txt && fdtop --once m.txt
    $ fdtop run.jsonl.gz --once --json | jq '.events'   restarts, down/up, config changes
`;
