/**
 * What to show the signer for each letter: a short description of its handshape in Korean and
 * English (Korean fingerspelling, 지문자: most letters draw the letter's own strokes with the
 * fingers), and the five posture variants the recorded datasets use. Written after the standard
 * chart (한국수화사전); a signer should look them over. Portable: no Node imports.
 */
import type { Jamo } from '../jamo.js';

export interface Handshape {
  ko: string;
  en: string;
}

export const HANDSHAPES: Record<Jamo, Handshape> = {
  ㄱ: { ko: '엄지와 검지를 펴서 ㄱ자, 검지 끝이 아래', en: 'thumb and index out in a ㄱ, index pointing down' },
  ㄴ: { ko: '엄지와 검지를 펴서 ㄴ자, 검지 위로', en: 'thumb and index out in an ㄴ, index pointing up' },
  ㄷ: { ko: '검지와 중지를 붙여 펴서 옆으로', en: 'index and middle together, pointing sideways' },
  ㄹ: { ko: '검지·중지·약지를 펴서 옆으로', en: 'index, middle and ring fingers out sideways' },
  ㅁ: { ko: '손가락을 구부려 엄지와 네모를 만든다', en: 'fingers bent to the thumb in a square' },
  ㅂ: { ko: '네 손가락을 붙여 위로, 엄지는 손바닥에', en: 'four fingers up together, thumb across the palm' },
  ㅅ: { ko: '검지와 중지를 벌려 아래로', en: 'index and middle spread, pointing down' },
  ㅇ: { ko: '손가락 끝을 엄지에 모아 동그라미', en: 'fingertips curved to the thumb in a circle' },
  ㅈ: { ko: 'ㅅ 모양에 엄지를 옆으로 편다', en: 'like ㅅ, with the thumb out to the side' },
  ㅊ: { ko: 'ㅈ 모양에 엄지를 위로 세운다', en: 'like ㅈ, with the thumb raised' },
  ㅋ: { ko: 'ㄱ 모양에 중지를 함께 편다', en: 'like ㄱ, with the middle finger out too' },
  ㅌ: { ko: 'ㄷ 모양에 엄지를 위로 세운다', en: 'like ㄷ, with the thumb raised' },
  ㅍ: { ko: '검지·중지를 구부려 앞으로, 엄지 펴기', en: 'index and middle hooked forward, thumb out' },
  ㅎ: { ko: '엄지와 검지로 ㅇ을 만들고 중지를 위로', en: 'thumb–index circle with the middle finger up' },
  ㅏ: { ko: '검지를 위로, 엄지를 옆으로 편다', en: 'index up, thumb out to the side' },
  ㅑ: { ko: '검지·중지를 위로, 엄지를 옆으로', en: 'index and middle up, thumb out to the side' },
  ㅓ: { ko: '검지를 위로, 엄지를 안쪽으로 편다', en: 'index up, thumb pointing inward' },
  ㅕ: { ko: '검지·중지를 위로, 엄지를 안쪽으로', en: 'index and middle up, thumb pointing inward' },
  ㅗ: { ko: '검지를 위로 세우고 손등을 앞으로', en: 'index up, back of the hand to the front' },
  ㅛ: { ko: '검지·중지를 위로 세우고 손등을 앞으로', en: 'index and middle up, back of the hand forward' },
  ㅜ: { ko: '검지를 아래로 향한다', en: 'index pointing down' },
  ㅠ: { ko: '검지·중지를 아래로 향한다', en: 'index and middle pointing down' },
  ㅡ: { ko: '검지를 옆으로 눕힌다', en: 'index pointing sideways, level' },
  ㅣ: { ko: '새끼손가락을 위로 세운다', en: 'little finger up' },
};

/** The posture variants of the recorded datasets: folder name → description. */
export const VARIANTS: Record<string, Handshape> = {
  '1': { ko: '많이 펴서', en: 'much extended' },
  '2': { ko: '조금 펴서', en: 'slightly extended' },
  '3': { ko: '기본', en: 'basic' },
  '4': { ko: '조금 구부려서', en: 'slightly bent' },
  '5': { ko: '많이 구부려서', en: 'much bent' },
};

/** The folder a recording without --variants goes to: the basic posture. */
export const BASIC_VARIANT = '3';
