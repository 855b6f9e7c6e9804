// Geographic NANP area codes of the US, its territories and Canada → state/province and every IANA zone they span.
// Compliance data: quiet hours are judged in each zone an area code reaches, so a code spanning two zones lists both.
// Codes of other NANP countries (Caribbean) are deliberately absent: those numbers use the location's zone.

export type AreaCodeInfo = { regions: string[]; timeZones: string[] };

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const PT = 'America/Los_Angeles';
const AZ = 'America/Phoenix'; // Mountain without DST
const BOISE = 'America/Boise';
const TOR = 'America/Toronto';
const WPG = 'America/Winnipeg';
const EDM = 'America/Edmonton';
const VAN = 'America/Vancouver';
const HFX = 'America/Halifax';

// [region, zones, area codes]; a code listed in several rows collects every region and zone.
const ROWS: [string, string[], string][] = [
  ['AL', [CT], '205 251 256 659 938'],
  ['AL', [CT, ET], '334'], // Phenix City and Lanett (Chambers County) keep Eastern time
  ['AK', ['America/Anchorage', 'America/Adak'], '907'], // the western Aleutians are on Hawaii–Aleutian time
  ['AZ', [AZ], '480 520 602 623'],
  ['AZ', [AZ, MT], '928'], // the Navajo Nation observes DST
  ['AR', [CT], '327 479 501 870'],
  ['CA', [PT], '209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951'],
  ['CO', [MT], '303 719 720 970 983'],
  ['CT', [ET], '203 475 860 959'],
  ['DE', [ET], '302'],
  ['DC', [ET], '202 771'],
  ['FL', [ET], '239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954'],
  ['FL', [CT, ET], '448 850'], // panhandle west of the Apalachicola is Central
  ['GA', [ET], '229 404 470 478 678 706 762 770 912 943'],
  ['HI', ['Pacific/Honolulu'], '808'],
  ['ID', [BOISE, PT], '208 986'], // the northern panhandle is Pacific
  ['IL', [CT], '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872'],
  ['IN', [ET], '260 317 463 765'],
  ['IN', [CT, ET], '219 574 812 930'], // NW (Lake…Starke) and SW (Evansville) counties are Central
  ['IA', [CT], '319 515 563 641 712'],
  ['KS', [CT], '316 913'],
  ['KS', [CT, MT], '620 785'], // Greeley, Hamilton, Sherman, Wallace counties are Mountain
  ['KY', [ET], '502 859'],
  ['KY', [CT, ET], '270 364 606'], // western Kentucky and Clinton County are Central
  ['LA', [CT], '225 318 337 504 985'],
  ['ME', [ET], '207'],
  ['MD', [ET], '227 240 301 410 443 667'],
  ['MA', [ET], '339 351 413 508 617 774 781 857 978'],
  ['MI', [ET], '231 248 269 313 517 586 616 679 734 810 947 989'],
  ['MI', [ET, 'America/Menominee'], '906'], // four Upper Peninsula counties on the Wisconsin line are Central
  ['MN', [CT], '218 320 507 612 651 763 952'],
  ['MS', [CT], '228 601 662 769'],
  ['MO', [CT], '235 314 417 557 573 636 660 816 975'],
  ['MT', [MT], '406'],
  ['NE', [CT], '402 531'],
  ['NE', [CT, MT], '308'], // the panhandle is Mountain
  ['NV', [PT], '702 725'],
  ['NV', [PT, MT], '775'], // West Wendover is on Mountain time
  ['NH', [ET], '603'],
  ['NJ', [ET], '201 551 609 640 732 848 856 862 908 973'],
  ['NM', [MT], '505 575'],
  ['NY', [ET], '212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934'],
  ['NC', [ET], '252 336 472 704 743 828 910 919 980 984'],
  ['ND', [CT, MT], '701'], // the southwest is Mountain
  ['OH', [ET], '216 220 234 283 326 330 380 419 436 440 513 567 614 740 937'],
  ['OK', [CT], '405 539 572 580 918'],
  ['OR', [PT], '503 971'],
  ['OR', [PT, BOISE], '458 541'], // Malheur County is Mountain
  ['PA', [ET], '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878'],
  ['RI', [ET], '401'],
  ['SC', [ET], '803 821 839 843 854 864'],
  ['SD', [CT, MT], '605'], // West River is Mountain
  ['TN', [CT], '615 629 731 901 931'],
  ['TN', [ET], '865'],
  ['TN', [ET, CT], '423 729'], // Marion, Sequatchie and Bledsoe counties are Central
  ['TX', [CT], '210 214 254 281 325 346 361 409 430 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979'],
  ['TX', [MT], '915'], // El Paso and Hudspeth counties
  ['TX', [CT, MT], '432'], // northwest Culberson County keeps Mountain time
  ['UT', [MT], '385 435 801'],
  ['VT', [ET], '802'],
  ['VA', [ET], '276 434 540 571 686 703 757 804 826 948'],
  ['WA', [PT], '206 253 360 425 509 564'],
  ['WV', [ET], '304 681'],
  ['WI', [CT], '262 274 353 414 534 608 715 920'],
  ['WY', [MT], '307'],
  ['PR', ['America/Puerto_Rico'], '787 939'],
  ['VI', ['America/St_Thomas'], '340'],
  ['GU', ['Pacific/Guam'], '671'],
  ['MP', ['Pacific/Saipan'], '670'],
  ['AS', ['Pacific/Pago_Pago'], '684'],
  // Canada
  ['AB', [EDM], '368 403 587 780 825'],
  ['BC', [VAN], '604'],
  ['BC', [VAN, EDM, 'America/Dawson_Creek'], '236 250 257 672 778'], // East Kootenay Mountain; Peace River MST all year
  ['MB', [WPG], '204 431 584'],
  ['NB', ['America/Moncton'], '428 506'],
  ['NL', ['America/St_Johns', 'America/Goose_Bay'], '709 879'], // most of Labrador is Atlantic
  ['NS', [HFX], '782 902'],
  ['PE', [HFX], '782 902'],
  ['ON', [TOR], '226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 905 942'],
  ['ON', [TOR, WPG], '807'], // Kenora and the far northwest are Central
  ['QC', [TOR], '263 354 438 450 468 514 579 819 873'],
  ['QC', [TOR, HFX], '367 418 581'], // Magdalen Islands and the Lower North Shore are Atlantic
  ['SK', ['America/Regina', EDM], '306 474 639'], // Lloydminster keeps Alberta time
  ['YT', ['America/Whitehorse', 'America/Yellowknife', 'America/Rankin_Inlet', 'America/Iqaluit'], '867'],
  ['NT', ['America/Whitehorse', 'America/Yellowknife', 'America/Rankin_Inlet', 'America/Iqaluit'], '867'],
  ['NU', ['America/Whitehorse', 'America/Yellowknife', 'America/Rankin_Inlet', 'America/Iqaluit'], '867'],
];

const TABLE = new Map<string, AreaCodeInfo>();
for (const [region, zones, codes] of ROWS) {
  for (const code of codes.split(' ')) {
    const entry = TABLE.get(code) ?? { regions: [], timeZones: [] };
    if (!entry.regions.includes(region)) entry.regions.push(region);
    for (const zone of zones) if (!entry.timeZones.includes(zone)) entry.timeZones.push(zone);
    TABLE.set(code, entry);
  }
}

/** Regions (USPS state/territory or Canadian province codes) and IANA zones of a geographic area code, else null. */
export function lookupAreaCode(code: string): AreaCodeInfo | null {
  const entry = TABLE.get(code.trim());
  return entry ? { regions: [...entry.regions], timeZones: [...entry.timeZones] } : null;
}

/** Every area code in the table (for tests and diagnostics). */
export function listAreaCodes(): string[] {
  return [...TABLE.keys()].sort();
}
