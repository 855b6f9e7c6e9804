// The schema's history, in order: migration N brings user_version from N-1 to N. Append only; never edit a shipped one.
import { sql as initial } from './001-initial.js';
import { sql as locationFlags } from './002-location-flags.js';
import { sql as twilio } from './003-twilio.js';

export const MIGRATIONS: readonly string[] = [initial, locationFlags, twilio];
