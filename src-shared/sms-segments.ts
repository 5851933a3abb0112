/**
 * How many SMS segments a message costs, as carriers count them (3GPP TS 23.038):
 * GSM-7 text fits 160 characters in one segment and 153 per segment when split;
 * any character outside GSM-7 switches the whole message to UCS-2: 70, then 67 per segment.
 * The builder shows this next to the SMS editor; the engine may reuse it for sending.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension table characters: each costs two septets (an escape plus the character). */
const GSM_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the carrier counts them (septets for GSM-7, UTF-16 code units for UCS-2). */
  units: number;
  segments: number;
  /** How many more units fit before another segment starts. */
  remaining: number;
  perSegment: number;
}

export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  const units = gsm ? septets : text.length;
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
  const perSegment = segments > 1 ? multi : single;
  const capacity = segments <= 1 ? single : segments * multi;
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', units, segments, remaining: capacity - units, perSegment };
}
