// The chat page's client: connects to the `chat` channel, sends `say` and `nick` actions (the
// channel's route selection is `$request.body.action`), and lists what the channel broadcasts.
// Plain browser JavaScript, served as is from public/: no bundler between the example and the reader.

/**
 * The channel's URL. `?ws=` wins: a deployed stage's wss://<api>.execute-api.<region>.amazonaws.com/<stage>
 * URL (doc: apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-wscat.html, "wscat -c
 * wss://aabbccddee.execute-api.us-east-1.amazonaws.com/test/"), or a dev server started with
 * --websocket-port. Without it, the page assumes `sls-ts server`,
 * which serves this page on its HTTP port and the channels on the next port, at /<channel name>.
 * A query parameter rather than a config route: it works the same from the dev server, from a file
 * and from any static host, and needs no function to know the WebSocket API's address.
 */
function channelUrl(location) {
  const given = new URLSearchParams(location.search).get('ws');
  if (given) return given;
  const port = Number(location.port || (location.protocol === 'https:' ? 443 : 80)) + 1;
  return `ws://${location.hostname || '127.0.0.1'}:${port}/chat`;
}

const $ = (id) => document.getElementById(id);
const status = $('status');
const list = $('messages');
const nickInput = $('nick');
const textInput = $('text');
const buttons = [$('send'), $('nick-button')];

const params = new URLSearchParams(location.search);
// The channel keeps no per-connection state (a Lambda remembers nothing between messages), so the
// page holds its nickname and sends it with every message.
let nick = params.get('nick') || `guest-${Math.random().toString(36).slice(2, 6)}`;
// Taken once the channel announces it (it refuses an invalid one with an error instead).
let wantedNick;
nickInput.value = nick;

const url = channelUrl(location);
const socket = new WebSocket(url);

function setStatus(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function show(entry) {
  const item = document.createElement('li');
  if (entry.at) {
    const time = document.createElement('time');
    time.dateTime = entry.at;
    time.textContent = new Date(entry.at).toISOString().slice(11, 19);
    item.append(time);
  }
  if (entry.type === 'message') {
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = `${entry.from}:`;
    item.append(from, document.createTextNode(entry.text));
  } else {
    const notice = document.createElement('span');
    notice.className = 'notice';
    notice.textContent = entry.type === 'nick' ? `${entry.was} is now ${entry.nick}` : `error: ${entry.error}`;
    item.append(notice);
  }
  item.dataset.type = entry.type;
  list.append(item);
  list.scrollTop = list.scrollHeight;
}

socket.addEventListener('open', () => {
  setStatus('open', `connected to ${url}`);
  for (const button of buttons) button.disabled = false;
  textInput.focus();
});
socket.addEventListener('close', (event) => {
  setStatus('closed', `disconnected (${event.code}${event.reason ? ` ${event.reason}` : ''}) from ${url}`);
  for (const button of buttons) button.disabled = true;
});
socket.addEventListener('message', (event) => {
  let entry;
  try {
    entry = JSON.parse(event.data);
  } catch {
    entry = { type: 'error', error: String(event.data) };
  }
  // API Gateway's own answers (an action that failed) carry `message`, not our `type`.
  if (!entry.type) entry = { type: 'error', error: entry.message ?? event.data };
  if (entry.type === 'nick' && entry.was === nick && entry.nick === wantedNick) nick = wantedNick;
  show(entry);
});

$('say-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = textInput.value.trim();
  if (!text) return;
  socket.send(JSON.stringify({ action: 'say', nick, text }));
  textInput.value = '';
});

$('nick-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const wanted = nickInput.value.trim();
  if (!wanted || wanted === nick) return;
  wantedNick = wanted;
  socket.send(JSON.stringify({ action: 'nick', was: nick, nick: wanted }));
});
