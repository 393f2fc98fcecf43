"""Twilio's Python client against the twilio-double standalone server.

Start the server, then run this file with its URL:

    npx twilio-double serve --port 4010
    python3 examples/python/example.py http://127.0.0.1:4010

It sends messages, lists them page by page, handles a TwilioRestException, waits for a message and reads its
one-time code, and checks the signature of the status callbacks the double sends to a small local web server.
Each step asserts what it expects, so the script ends with status 0 only when all of them worked.
Debian's `python3-twilio` package (or `pip install twilio`) provides the client.
"""

import json
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

# The server's default account; GET /__double/credentials lists every account the server has.
ACCOUNT_SID = 'AC00000000000000000000000000000001'
AUTH_TOKEN = 'twilio-double-auth-token-0000001'
FROM = '+15005550006'


def control(base_url, method, path):
    """Calls the double's control API (JSON)."""
    request = urllib.request.Request(base_url + '/__double' + path, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


class StatusCallbacks(BaseHTTPRequestHandler):
    """Records every status callback the double POSTs, with its signature."""

    received = []

    def do_POST(self):
        length = int(self.headers.get('Content-Length', '0'))
        params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode('utf-8')))
        url = 'http://%s:%d%s' % (self.server.server_address[0], self.server.server_address[1], self.path)
        StatusCallbacks.received.append((url, params, self.headers.get('X-Twilio-Signature')))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main(base_url):
    client = Client(ACCOUNT_SID, AUTH_TOKEN)
    client.api.base_url = base_url  # every request of the Messages API goes to the double
    control(base_url, 'POST', '/reset')

    callbacks = HTTPServer(('127.0.0.1', 0), StatusCallbacks)
    threading.Thread(target=callbacks.serve_forever, daemon=True).start()
    status_callback = 'http://127.0.0.1:%d/status' % callbacks.server_address[1]

    # send
    to = '+15558675310'
    sent = [
        client.messages.create(to=to, from_=FROM, body='Message %d' % n, status_callback=status_callback)
        for n in range(5)
    ]
    assert sent[0].sid.startswith('SM') and sent[0].status == 'queued', sent[0].status
    print('sent', len(sent), 'messages')

    # list with paging: pages of 2, the client follows next_page_uri against the server
    listed = client.messages.list(to=to, page_size=2)
    assert sorted(m.sid for m in listed) == sorted(m.sid for m in sent), [m.sid for m in listed]
    first = client.messages.page(to=to, page_size=2)
    second = first.next_page()
    first_sids, second_sids = [m.sid for m in first], [m.sid for m in second]
    assert len(first_sids) == 2 and len(second_sids) == 2, (first_sids, second_sids)
    assert not set(first_sids) & set(second_sids)
    print('listed', len(listed), 'messages in pages of 2')

    # an error: Twilio's magic number +15005550001 is an invalid To (21211)
    try:
        client.messages.create(to='+15005550001', from_=FROM, body='Hi')
        raise AssertionError('the invalid number was accepted')
    except TwilioRestException as error:
        assert error.status == 400 and error.code == 21211, (error.status, error.code)
        print('refused with', error.code, error.msg)

    # the one-time code: wait for the message (answered as soon as it exists) and read the code the double found
    code_to = '+15558675311'
    send = dict(to=code_to, from_=FROM, body='Your code is 482913')
    threading.Thread(target=client.messages.create, kwargs=send).start()  # as an app would, meanwhile
    found = control(base_url, 'GET', '/messages/wait?to=%s&timeout=10s' % urllib.parse.quote(code_to))['message']
    assert found['codes'] == ['482913'], found
    print('waited for the message to', code_to, 'and read its code', found['codes'][0])

    # status callbacks: run the lifecycle to its end, then check each signature
    control(base_url, 'POST', '/settle')
    assert client.messages(sent[0].sid).fetch().status == 'delivered'
    validator = RequestValidator(AUTH_TOKEN)
    statuses = [params['MessageStatus'] for (_, params, _) in StatusCallbacks.received]
    assert statuses.count('delivered') == 5, statuses
    for url, params, signature in StatusCallbacks.received:
        assert validator.validate(url, params, signature), (url, params)
        assert not validator.validate(url, dict(params, MessageStatus='failed'), signature)
    print('validated', len(StatusCallbacks.received), 'status callbacks')
    callbacks.shutdown()


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:4010')
