import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * A sensible default time zone for a US lead from the phone's area code or a ZIP code. Small tables
 * (most-used area codes, ZIP prefix ranges by state); the user can always pick another zone.
 */
const AREA_CODES: Record<string, string> = {};
const byZone: Record<string, string> = {
  'America/New_York':
    '201 202 203 207 212 215 216 220 223 234 239 240 248 267 269 272 276 301 302 304 305 313 315 321 330 332 336 339 347 351 352 386 401 404 407 410 412 413 434 440 443 475 470 478 484 508 513 516 517 518 540 551 561 567 570 571 585 586 603 607 609 610 614 616 617 631 646 667 678 680 703 704 706 716 717 718 724 727 732 734 740 754 757 770 772 774 781 786 802 803 804 810 813 814 828 843 845 848 856 857 859 860 862 863 864 865 878 904 908 910 912 914 917 919 929 937 941 947 954 959 973 978 980 984 989',
  'America/Chicago':
    '205 210 214 217 218 224 225 228 251 254 256 262 281 309 312 314 316 318 319 320 325 331 334 337 346 361 402 405 409 414 417 430 432 469 479 501 504 507 512 515 531 563 573 580 601 605 608 612 615 618 620 630 636 641 651 660 662 682 701 708 712 713 715 731 737 763 769 773 779 785 806 815 816 817 830 832 847 870 872 901 903 913 918 920 931 936 940 952 956 972 979 985',
  'America/Denver': '303 307 385 406 435 505 575 719 720 801 915 970 986 208',
  'America/Phoenix': '480 520 602 623 928',
  'America/Los_Angeles':
    '206 209 213 253 279 310 323 341 360 408 415 424 425 442 503 509 510 530 541 559 562 619 626 628 650 657 661 669 702 707 714 725 747 760 775 805 818 820 831 858 909 916 925 949 951 971',
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
};
for (const [zone, codes] of Object.entries(byZone)) for (const code of codes.split(' ')) AREA_CODES[code] = zone;

/** [first 3-digit ZIP prefix, zone] ranges; a prefix takes the zone of the last range starting at or below it. */
const ZIP_RANGES: [number, string][] = [
  [0, 'America/New_York'],
  [350, 'America/Chicago'], // AL, TN, MS
  [400, 'America/New_York'], // KY, OH, IN, MI
  [500, 'America/Chicago'], // IA, WI, MN, SD, ND
  [590, 'America/Denver'], // MT
  [600, 'America/Chicago'], // IL, MO, KS, NE, LA, AR, OK, TX
  [798, 'America/Denver'], // El Paso
  [800, 'America/Denver'], // CO, WY, ID, UT
  [850, 'America/Phoenix'], // AZ
  [870, 'America/Denver'], // NM
  [889, 'America/Los_Angeles'], // NV, CA
  [967, 'Pacific/Honolulu'],
  [970, 'America/Los_Angeles'], // OR, WA
  [995, 'America/Anchorage'],
];

export function zoneFromPhone(phone: string): string | null {
  const parsed = parsePhoneNumberFromString(phone, 'US');
  if (!parsed || parsed.countryCallingCode !== '1') return null;
  return AREA_CODES[parsed.nationalNumber.slice(0, 3)] ?? null;
}

export function zoneFromZip(zip: string): string | null {
  const m = /^(\d{3})\d{2}(-\d{4})?$/.exec(zip.trim());
  if (!m) return null;
  const prefix = Number(m[1]);
  let zone: string | null = null;
  for (const [start, z] of ZIP_RANGES) if (prefix >= start) zone = z;
  return zone;
}

/** "(415) 555-0123" or "415.555.0123" → "+14155550123"; anything not a valid number stays as typed (the engine says why). */
export function toE164(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone.trim(), 'US');
  return parsed?.isValid() ? parsed.number : phone.trim();
}
