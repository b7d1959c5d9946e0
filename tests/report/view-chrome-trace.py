#!/usr/bin/env python3
"""Load a Chrome trace-event file in a real viewer and say what it shows.

  view-chrome-trace.py TRACE.json SCREENSHOT.png

The viewer is the Performance panel of the DevTools that Debian's chromium
ships (trace_app.html, the successor of chrome://tracing), in headless
Chromium driven over the DevTools protocol (python3-websocket): the page
asks for the trace by URL and this script answers that request with the
file, so nothing is served or fetched over a network.  Once the trace is
loaded, every track is expanded, the keyboard-shortcuts popup and the
sidebar are closed and a screenshot is taken.

Prints one JSON object: {"tracks": [track names as the viewer labels
them], "entries": {entry title: count}, "errors": [console errors]}.
Exit status 0 when the viewer loaded the trace, 1 when it did not, 77
when there is no chromium or no websocket module (the test is skipped).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import websocket
except ImportError:
    # pyenv's python3 may come first on PATH; Debian's has python3-websocket.
    if sys.executable != '/usr/bin/python3' and os.path.exists('/usr/bin/python3'):
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    print('SKIP: no python3-websocket (scripts/deps.sh test installs it)', file=sys.stderr)
    sys.exit(77)

TIMEOUT = 120
TRACE_PATH = '/swaptrace-export.json'

# What the panel shows, read from the DevTools frontend's own modules.
INSPECT = r'''(async () => {
  const T = await import('./panels/timeline/timeline.js');
  const panel = T.TimelinePanel.TimelinePanel.instance();
  const chart = panel.getFlameChart();
  const provider = chart.getMainDataProvider();
  const data = provider.timelineData();
  if (!data || !data.groups || data.groups.length === 0)
    return null;
  const entries = {};
  for (let i = 0; i < data.entryLevels.length; i++) {
    const t = provider.entryTitle(i);
    entries[t] = (entries[t] || 0) + 1;
  }
  return {tracks: data.groups.map(g => g.name), entries};
})()'''

# Every track open, popups and sidebar closed: the screenshot shows the slots.
TIDY = r'''(async () => {
  const T = await import('./panels/timeline/timeline.js');
  const chart = T.TimelinePanel.TimelinePanel.instance().getFlameChart().getMainFlameChart();
  const n = chart.timelineData().groups.length;
  for (let i = 0; i < n; i++)
    chart.expandGroup(i);
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const label = (el.getAttribute('aria-label') || el.getAttribute('title') || '');
      if (el.tagName === 'BUTTON' && /^(Hide sidebar|Close)$/.test(label))
        found.push(el);
      if (el.shadowRoot)
        walk(el.shadowRoot);
    }
  };
  walk(document);
  for (const el of found)
    el.click();
  // The whole trace in view, not the busiest stretch the panel picks.
  const TB = await import('./services/trace_bounds/trace_bounds.js');
  const bounds = TB.TraceBounds.BoundsManager.instance();
  bounds.setTimelineVisibleWindow(bounds.state().micro.entireTraceBounds);
  return found.length;
})()'''


class Page:
    def __init__(self, ws_url, body):
        self.ws = websocket.create_connection(ws_url, timeout=TIMEOUT)
        self.ws.settimeout(0.5)
        self.body = body
        self.next_id = 0
        self.errors = []
        self.served = False

    def handle(self, msg):
        method = msg.get('method')
        if method == 'Fetch.requestPaused':
            p = msg['params']
            self.send('Fetch.fulfillRequest', requestId=p['requestId'], responseCode=200,
                      responseHeaders=[{'name': 'Content-Type', 'value': 'application/json'}],
                      body=base64.b64encode(self.body).decode())
            self.served = True
        elif method == 'Log.entryAdded' and msg['params']['entry']['level'] == 'error':
            self.errors.append(msg['params']['entry']['text'][:300])
        elif method == 'Runtime.exceptionThrown':
            self.errors.append(json.dumps(msg['params']['exceptionDetails'])[:300])

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({'id': self.next_id, 'method': method, 'params': params}))
        return self.next_id

    def call(self, method, **params):
        want = self.send(method, **params)
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if msg.get('id') == want:
                if 'error' in msg:
                    raise RuntimeError('%s: %s' % (method, msg['error']))
                return msg.get('result', {})
            self.handle(msg)
        raise RuntimeError('%s: no answer in %d s' % (method, TIMEOUT))

    def pump(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                self.handle(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                pass

    def evaluate(self, expr):
        r = self.call('Runtime.evaluate', expression=expr, awaitPromise=True, returnByValue=True)
        if 'exceptionDetails' in r:
            raise RuntimeError('evaluate: %s' % json.dumps(r['exceptionDetails'])[:500])
        return r.get('result', {}).get('value')


def start_chromium(profile):
    exe = shutil.which('chromium') or shutil.which('chromium-browser')
    if not exe:
        print('SKIP: no chromium (scripts/deps.sh test installs it)', file=sys.stderr)
        sys.exit(77)
    # Port 0: chromium picks a free one and writes it to DevToolsActivePort.
    proc = subprocess.Popen([exe, '--headless', '--no-sandbox', '--disable-gpu',
                             '--disable-background-networking', '--disable-component-update',
                             '--disable-sync', '--no-first-run', '--disable-quic',
                             '--user-data-dir=' + profile, '--remote-debugging-port=0',
                             '--remote-allow-origins=*', '--window-size=1600,1000',
                             'about:blank'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, 'DevToolsActivePort')
    deadline = time.time() + 60
    while time.time() < deadline:
        if os.path.exists(port_file):
            with open(port_file) as f:
                lines = f.read().split()
            if lines:
                return proc, int(lines[0])
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError('chromium did not open its DevTools port')


def main():
    trace, png = sys.argv[1], sys.argv[2]
    with open(trace, 'rb') as f:
        body = f.read()
    profile = tempfile.mkdtemp(prefix='swaptrace-chromium.')
    proc = None
    try:
        proc, port = start_chromium(profile)
        base = 'http://127.0.0.1:%d' % port
        targets = json.load(urllib.request.urlopen(base + '/json/list', timeout=30))
        page = Page([t for t in targets if t['type'] == 'page'][0]['webSocketDebuggerUrl'],
                    body)
        page.call('Log.enable')
        page.call('Runtime.enable')
        page.call('Emulation.setDeviceMetricsOverride', width=1600, height=1000,
                  deviceScaleFactor=1, mobile=False)
        # The panel's own CSP lets it fetch from its origin: answer that URL.
        page.call('Fetch.enable', patterns=[{'urlPattern': base + TRACE_PATH}])
        page.call('Page.navigate', url=base + '/devtools/trace_app.html?loadTimelineFromURL='
                  + base + TRACE_PATH)
        shown = None
        deadline = time.time() + TIMEOUT
        while shown is None and time.time() < deadline:
            page.pump(1)
            if page.served:
                try:
                    shown = page.evaluate(INSPECT)
                except RuntimeError:
                    shown = None
        if shown is None:
            print(json.dumps({'loaded': False, 'served': page.served, 'errors': page.errors}))
            return 1
        # The shortcuts popup may open after the first pass: close it again.
        for _ in range(3):
            page.evaluate(TIDY)
            page.pump(1)
        shot = page.call('Page.captureScreenshot', format='png')
        with open(png, 'wb') as f:
            f.write(base64.b64decode(shot['data']))
        shown['loaded'] = True
        shown['errors'] = page.errors
        print(json.dumps(shown, sort_keys=True))
        return 0
    finally:
        if proc:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
