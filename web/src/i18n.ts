/** Korean and English UI text. Elements carry data-i18n="key"; code calls t('key'). */
const STRINGS = {
  ko: {
    'nav.live': '실시간',
    'nav.try': '파일로 해보기',
    'lang.switch': 'English',
    'status.idle': '연결 안 됨',
    'status.ready': '대기 중 — 문장을 입력하고 시작을 누르세요',
    'status.done': '시뮬레이션 끝',
    'status.ended': '스트림 끝',
    'sim.signing': '손 모양',
    'status.connecting': '연결 중…',
    'status.sim': '시뮬레이터 실행 중',
    'status.serial': '장갑 연결됨 (Web Serial)',
    'status.server': '서버의 장갑 연결됨',
    'status.closed': '연결 끊김',
    'status.error': '오류',
    'source.title': '입력',
    'source.sim': '시뮬레이터',
    'source.serial': '장갑 (Web Serial)',
    'source.server': '서버의 장갑',
    'source.serverNone': '서버가 장갑을 읽고 있지 않습니다. 서버를 signglove serve --source serial:/dev/ttyACM0 처럼 시작하세요.',
    'status.serverEngine': '서버에서 인식 중',
    'sim.phrase': '따라 할 문장',
    'sim.start': '시작',
    'sim.stop': '멈춤',
    'serial.connect': '장갑 연결',
    'serial.disconnect': '연결 해제',
    'serial.unsupported': '이 브라우저는 Web Serial을 지원하지 않습니다 (데스크톱 Chrome 또는 Edge 필요).',
    'engine.title': '인식 위치',
    'engine.browser': '이 브라우저에서',
    'engine.server': '서버에서',
    'engine.usingBrowser': '모델이 이 브라우저에서 실행됩니다',
    'engine.usingServer': '모델이 서버에서 실행됩니다',
    'engine.loading': '모델 불러오는 중…',
    'engine.noBundle': '이 모델은 브라우저에서 실행할 수 없어 서버를 사용합니다',
    'live.current': '현재 글자',
    'live.confidence': '확신도',
    'live.top5': '상위 5개',
    'live.text': '입력된 글',
    'live.clear': '지우기',
    'live.speak': '읽어 주기',
    'live.suggestion': '추천 단어 (누르면 바꿈)',
    'live.noSpeech': '이 브라우저는 음성 합성을 지원하지 않습니다',
    'live.sensors': '센서',
    'live.waiting': '신호를 기다리는 중',
    'live.held': '확정',
    'try.title': 'CSV 에피소드 인식',
    'try.drop': 'CSV 파일을 여기에 끌어다 놓거나',
    'try.choose': '파일 선택',
    'try.sample': '또는 예시 선택',
    'try.samplePick': '예시…',
    'try.result': '인식 결과',
    'try.expected': '정답',
    'try.frames': '프레임',
    'try.none': '아직 파일이 없습니다',
    'try.simulated': '시뮬레이션',
    'try.recorded': '녹화된 예시',
    'try.simulatedGroup': '시뮬레이터로 만든 글자',
    'model': '모델',
    'nav.docs': 'API 문서',
    'nav.label': '페이지',
    'live.title': '실시간 지문자 인식',
    'model.default': '기본',
    'model.accuracy': '시험 정확도',
    'model.hint': '모델을 바꾸면 다음 시작부터 적용됩니다',
    'threshold.label': '글자로 확정할 확신도',
    'threshold.hint': '높이면 잘못 찍히는 글자가 줄지만 손을 더 오래 멈춰야 합니다. 다음 시작부터 적용됩니다.',
    'sign.none': '신호 없음 · 손이 움직이는 중',
    'sign.unsure': '아직 불확실 — 확정 기준',
    'sign.holding': '손 모양을 읽는 중',
    'sign.idle': '대기 중',
    'explain.title': '확신도와 상위 5개란?',
    'explain.body': '확신도는 모델이 지금 손 모양을 그 글자로 보는 확률입니다 (100%에 가까울수록 확실). 상위 5개는 그다음으로 가능성이 높은 글자들입니다. 손을 멈춘 채 확신도가 기준을 넘는 상태가 잠시 이어지면 글자가 확정되어 글에 더해집니다.',
    'export.text': '글 저장 (.txt)',
    'export.session': '원시 세션 저장 (.csv)',
    'export.none': '아직 저장할 세션이 없습니다',
    'letters.label': '확정된 글자',
    'progress.label': '시뮬레이터가 만드는 글자',
    'plots.label': '센서 값 그래프',
    'hand.title': '24개 지문자 손 모양',
    'hand.note': '손가락 상태는 이 장갑으로 녹화한 예시(각 글자 수십 번)의 센서 평균에서 읽었습니다. 손가락은 글자 획의 방향을 따릅니다.',
    'hand.straight': '폄',
    'hand.half': '반쯤 굽힘',
    'hand.bent': '굽힘',
    'hand.sep': ', ',
    'finger.0': '엄지',
    'finger.1': '검지',
    'finger.2': '중지',
    'finger.3': '약지',
    'finger.4': '소지',
    'try.multi': '이 녹화에는 글자가 여러 개 들어 있는 것 같습니다. 위 결과는 전체를 한 글자로 읽은 것이라 맞지 않을 수 있습니다. 실시간 인식이 찾은 글자:',
    'try.readLive': '실시간 인식으로 읽기',
    'try.liveResult': '실시간 인식으로 읽은 글',
    'err.spell': '24개 지문자로 쓸 수 없는 글자가 있습니다',
    'err.spellHint': '한글 음절과 자모만 쓸 수 있습니다 (숫자·로마자·기호 불가, 된소리 ㄲ ㄸ ㅃ ㅆ ㅉ 없음).',
    'err.csv': 'CSV 파일을 에피소드로 읽을 수 없습니다',
    'err.row': '번째 줄',
    'err.tooLarge': '에피소드 하나로는 너무 큰 파일입니다 (최대 5 MB)',
    'err.network': '서버에 연결할 수 없습니다. 서버가 켜져 있는지 확인하세요.',
    'err.ws': '서버 스트림(WebSocket) 연결에 실패했습니다.',
    'err.server': '서버가 요청을 거절했습니다',
    'err.other': '오류가 났습니다',
    'err.empty': '따라 할 문장을 입력하세요',
    'err.bundle': '이 모델을 브라우저로 불러오지 못했습니다',
  },
  en: {
    'nav.live': 'Live',
    'nav.try': 'Try a file',
    'lang.switch': '한국어',
    'status.idle': 'Not connected',
    'status.ready': 'Ready — type a phrase and press Start',
    'status.done': 'Simulation finished',
    'status.ended': 'Stream ended',
    'sim.signing': 'Signing',
    'status.connecting': 'Connecting…',
    'status.sim': 'Simulator running',
    'status.serial': 'Glove connected (Web Serial)',
    'status.server': "Watching the server's glove",
    'status.closed': 'Disconnected',
    'status.error': 'Error',
    'source.title': 'Input',
    'source.sim': 'Simulator',
    'source.serial': 'Glove (Web Serial)',
    'source.server': "Server's glove",
    'source.serverNone': 'The server reads no glove. Start it with e.g. signglove serve --source serial:/dev/ttyACM0.',
    'status.serverEngine': 'recognising on the server',
    'sim.phrase': 'Phrase to sign',
    'sim.start': 'Start',
    'sim.stop': 'Stop',
    'serial.connect': 'Connect glove',
    'serial.disconnect': 'Disconnect',
    'serial.unsupported': 'This browser has no Web Serial (use desktop Chrome or Edge).',
    'engine.title': 'Recognition runs',
    'engine.browser': 'In this browser',
    'engine.server': 'On the server',
    'engine.usingBrowser': 'The model runs in this browser',
    'engine.usingServer': 'The model runs on the server',
    'engine.loading': 'Loading the model…',
    'engine.noBundle': 'This model cannot run in the browser; using the server',
    'live.current': 'Current letter',
    'live.confidence': 'confidence',
    'live.top5': 'Top 5',
    'live.text': 'Text so far',
    'live.clear': 'Clear',
    'live.speak': 'Speak',
    'live.suggestion': 'Suggested word (tap to use)',
    'live.noSpeech': 'This browser cannot speak text',
    'live.sensors': 'Sensors',
    'live.waiting': 'Waiting for signal',
    'live.held': 'held',
    'try.title': 'Recognise a CSV episode',
    'try.drop': 'Drop a CSV file here, or',
    'try.choose': 'choose a file',
    'try.sample': 'or pick a sample',
    'try.samplePick': 'Sample…',
    'try.result': 'Prediction',
    'try.expected': 'expected',
    'try.frames': 'frames',
    'try.none': 'No file yet',
    'try.simulated': 'simulated',
    'try.recorded': 'Recorded samples',
    'try.simulatedGroup': 'Simulated letters',
    'model': 'Model',
    'nav.docs': 'API docs',
    'nav.label': 'Pages',
    'live.title': 'Live fingerspelling recognition',
    'model.default': 'default',
    'model.accuracy': 'test accuracy',
    'model.hint': 'A new model applies from the next start',
    'threshold.label': 'Confidence needed for a letter',
    'threshold.hint': 'Higher: fewer wrong letters, but the hand must stay still longer. Applies from the next start.',
    'sign.none': 'No sign · hand moving',
    'sign.unsure': 'Not sure yet — needs',
    'sign.holding': 'Reading the handshape',
    'sign.idle': 'Idle',
    'explain.title': 'What do confidence and top 5 mean?',
    'explain.body': 'Confidence is the probability the model gives the current handshape for that letter (closer to 100% is surer). Top 5 lists the next likeliest letters. When the hand stays still and the confidence stays above the threshold for a moment, the letter is taken and added to the text.',
    'export.text': 'Save text (.txt)',
    'export.session': 'Save raw session (.csv)',
    'export.none': 'No session to save yet',
    'letters.label': 'Letters taken',
    'progress.label': 'Letters the simulator signs',
    'plots.label': 'Sensor plots',
    'hand.title': 'The 24 handshapes',
    'hand.note': 'Finger states are read from the sensor averages of this glove’s recordings (dozens per letter). The fingers point along the letter’s strokes.',
    'hand.straight': 'straight',
    'hand.half': 'half bent',
    'hand.bent': 'bent',
    'hand.sep': '; ',
    'finger.0': 'thumb',
    'finger.1': 'index',
    'finger.2': 'middle',
    'finger.3': 'ring',
    'finger.4': 'little',
    'try.multi': 'This recording seems to hold several letters; the result above reads it all as one letter and may be wrong. Letters live recognition found:',
    'try.readLive': 'Read it with live recognition',
    'try.liveResult': 'Text read by live recognition',
    'err.spell': 'Some characters cannot be fingerspelled with the 24 letters',
    'err.spellHint': 'Only Hangul syllables and jamo (no digits, Latin letters or symbols; no tense ㄲ ㄸ ㅃ ㅆ ㅉ).',
    'err.csv': 'The CSV file cannot be read as an episode',
    'err.row': 'line',
    'err.tooLarge': 'Too large for one episode (max 5 MB)',
    'err.network': 'Cannot reach the server; is it running?',
    'err.ws': 'The server stream (WebSocket) failed.',
    'err.server': 'The server refused the request',
    'err.other': 'Something went wrong',
    'err.empty': 'Type a phrase to sign',
    'err.bundle': 'This model did not load in the browser',
  },
} as const;

export type Lang = keyof typeof STRINGS;
export type Key = keyof (typeof STRINGS)['ko'];

function initialLang(): Lang {
  const saved = localStorage.getItem('signglove.lang');
  if (saved === 'ko' || saved === 'en') return saved;
  // Korean speakers are the main users; English only when the browser asks for it.
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'ko';
}

let lang: Lang = initialLang();
const listeners: (() => void)[] = [];

export function t(key: Key): string {
  return STRINGS[lang][key];
}

/** A string in a given language, whatever the page shows now. */
export function stringIn(l: Lang, key: Key): string {
  return STRINGS[l][key];
}

export function currentLang(): Lang {
  return lang;
}

/** Re-renders every data-i18n element; `onChange` callbacks redraw dynamic text. */
export function applyI18n(): void {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as Key);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria as Key));
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-placeholder]')) {
    (el as HTMLInputElement).placeholder = t(el.dataset.i18nPlaceholder as Key);
  }
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): void {
  listeners.push(f);
}

/** Wires the header's language button. */
export function setupLangToggle(button: HTMLButtonElement): void {
  // the button names the other language in that language ("English" / "한국어")
  const mark = () => (button.lang = lang === 'ko' ? 'en' : 'ko');
  button.addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    localStorage.setItem('signglove.lang', lang);
    applyI18n();
  });
  onLangChange(mark);
  applyI18n();
}
