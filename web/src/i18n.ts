/** Korean and English UI text. Elements carry data-i18n="key"; code calls t('key'). */
const STRINGS = {
  ko: {
    'nav.live': '실시간',
    'nav.try': '파일로 해보기',
    'nav.calibrate': '보정',
    'cal.title': '오늘 착용에 맞게 보정하기',
    'cal.intro': '글자마다 몇 번씩 손 모양을 잡으면, 이 브라우저에서 모델을 오늘의 착용에 맞춥니다. 서버가 필요 없습니다.',
    'cal.shots': '글자당 횟수',
    'cal.start': '보정 시작',
    'cal.prompt': '이 글자를 잡으세요',
    'cal.holdMeter': '손 모양 유지',
    'cal.progress': '진행',
    'cal.result': '보정 결과',
    'cal.heldOut': '따로 둔 글자 정확도 (보정 전 → 후)',
    'cal.seconds': '초 동안 적응',
    'cal.useLive': '실시간 화면에서 쓰기',
    'cal.personal': '이 브라우저의 개인 모델',
    'cal.none': '아직 없습니다',
    'cal.upload': '.safetensors 모델 올리기',
    'cal.download': '내려받기',
    'cal.delete': '지우기',
    'cal.base': '기본 모델',
    'cal.ready': '준비됨: 보정 시작을 누르세요',
    'cal.loading': '기본 모델을 불러오는 중…',
    'cal.countdown': '곧 시작합니다:',
    'cal.hold': '손 모양을 잡고 가만히 있으세요…',
    'cal.adapting': '이 브라우저에서 모델을 맞추는 중…',
    'cal.done': '완료: 개인 모델을 저장했습니다',
    'cal.stopped': '멈췄습니다',
    'cal.failed': '보정하지 못했습니다',
    'cal.refused': '이 동작은 쓰지 않습니다. 다시 잡으세요',
    'cal.noHold': '손이 멈춘 순간을 찾지 못했습니다',
    'cal.needsBrowser': '기본 모델을 이 브라우저에서 실행할 수 없습니다',
    'cal.badUpload': '모델을 올리지 못했습니다',
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
    'health.missing': '{ch} 값이 들어오지 않습니다: 장갑 펌웨어의 줄 형식을 확인하세요',
    'health.dead': '{ch} 값이 {reads}로 0에 가깝습니다: 센서 연결이 끊겼거나 고장입니다. 선과 커넥터를 확인하세요',
    'health.saturated': '{ch} 값이 {reads}로 최댓값입니다: 합선되었거나 분압 회로가 끊겼습니다. 선과 커넥터를 확인하세요',
    'health.flat': '{ch} 값이 {reads}에서 전혀 변하지 않습니다: 센서나 입력이 멈췄습니다. 선을 확인하세요',
    'health.implausible': '{ch} 값 {reads}는 이 장갑의 굽힘 센서 범위(500–1010) 밖입니다{saw}: 손가락에 평평하게 붙었는지, 제 입력에 연결됐는지 확인하세요',
    'health.untrained': '{ch} 값 {reads}가 모델이 학습한 범위({trained}) 밖입니다: 센서를 다시 고정하거나 오늘 착용에 맞게 보정하세요 (signglove calibrate)',
    'health.saw': ' (모델이 본 값 {trained})',
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
  },
  en: {
    'nav.live': 'Live',
    'nav.try': 'Try a file',
    'nav.calibrate': 'Calibrate',
    'cal.title': "Calibrate for today's wearing",
    'cal.intro': "Hold each letter a few times and this browser adapts the model to today's wearing. No server needed.",
    'cal.shots': 'Holds per letter',
    'cal.start': 'Start calibrating',
    'cal.prompt': 'Sign this letter',
    'cal.holdMeter': 'Hold',
    'cal.progress': 'Progress',
    'cal.result': 'Result',
    'cal.heldOut': 'Held-out letters (before → after)',
    'cal.seconds': 's to adapt',
    'cal.useLive': 'Use it on the live page',
    'cal.personal': 'Personal models in this browser',
    'cal.none': 'None yet',
    'cal.upload': 'Upload a .safetensors model',
    'cal.download': 'Download',
    'cal.delete': 'Delete',
    'cal.base': 'base',
    'cal.ready': 'Ready: press Start calibrating',
    'cal.loading': 'Loading the base model…',
    'cal.countdown': 'Starting in',
    'cal.hold': 'Hold the sign still…',
    'cal.adapting': 'Adapting the model in this browser…',
    'cal.done': 'Done: the personal model is saved',
    'cal.stopped': 'Stopped',
    'cal.failed': 'Calibration failed',
    'cal.refused': 'Not kept, sign it again',
    'cal.noHold': 'No still hold was found',
    'cal.needsBrowser': 'The base model cannot run in this browser',
    'cal.badUpload': 'Could not add the model',
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
    'health.missing': '{ch} sends no values: check the glove firmware\'s line format',
    'health.dead': '{ch} reads {reads}, near 0: the sensor is disconnected or broken; check its wire and connector',
    'health.saturated': '{ch} reads {reads}, at the top of the ADC: shorted, or its divider is open; check its wire and connector',
    'health.flat': '{ch} reads {reads} without the least noise: the sensor or its input is stuck; check its wire',
    'health.implausible': '{ch} reads {reads}, where a flex sensor on this glove reads 500–1010{saw}: check that it sits flat on its finger and is wired to its own input',
    'health.untrained': '{ch} reads {reads} where the model saw {trained}: reseat the sensor, or calibrate for today\'s wearing (signglove calibrate)',
    'health.saw': ' (the model saw {trained})',
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

export function currentLang(): Lang {
  return lang;
}

/** Re-renders every data-i18n element; `onChange` callbacks redraw dynamic text. */
export function applyI18n(): void {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as Key);
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
  button.addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    localStorage.setItem('signglove.lang', lang);
    applyI18n();
  });
  applyI18n();
}
