// Reads an iCalendar file the way Thunderbird does (ical.js) and prints, as one JSON array,
// every occurrence of every VEVENT: {uid, start_utc, end_utc, status}.
//
// Usage: node occurrences.mjs FILE.ics
//
// Times are ISO 8601 in UTC ("2027-03-29T17:00:00Z"). DATE values and floating times have no
// instant of their own; they are printed as their wall-clock value read as UTC, so every
// reader of this output compares them the same way.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

// Stops a runaway rule (no UNTIL, no COUNT) from expanding forever.
const MAX_OCCURRENCES_PER_EVENT = 2000;

function registerTimezones(calendar) {
  // Thunderbird registers the file's VTIMEZONEs so TZID values resolve to them, not to a
  // built-in zone database.
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
}

function isoUtc(time) {
  // toUnixTime applies the zone's offset; for DATE and floating values the offset is 0.
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

function groupByUid(vevents) {
  const groups = new Map();
  for (const vevent of vevents) {
    const uid = vevent.getFirstPropertyValue("uid");
    if (!groups.has(uid)) groups.set(uid, { masters: [], exceptions: [] });
    const group = groups.get(uid);
    (vevent.hasProperty("recurrence-id") ? group.exceptions : group.masters).push(vevent);
  }
  return groups;
}

function statusOf(event) {
  return event.component.getFirstPropertyValue("status") || "";
}

function occurrencesOf(master, exceptions) {
  // Exceptions are related by UID only, as a client does; ical.js on its own would relate
  // every RECURRENCE-ID event of the file to every master.
  const event = new ICAL.Event(master, { exceptions, strictExceptions: true });
  const occurrences = [];
  if (!event.isRecurring()) {
    occurrences.push(describe(event, event.startDate, event.endDate));
    return occurrences;
  }
  const expansion = event.iterator();
  let next;
  while ((next = expansion.next()) && occurrences.length < MAX_OCCURRENCES_PER_EVENT) {
    const details = event.getOccurrenceDetails(next);
    occurrences.push(describe(details.item, details.startDate, details.endDate));
  }
  return occurrences;
}

function describe(event, start, end) {
  return { uid: event.uid, start_utc: isoUtc(start), end_utc: isoUtc(end), status: statusOf(event) };
}

function main(path) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  registerTimezones(calendar);
  const result = [];
  for (const { masters, exceptions } of groupByUid(calendar.getAllSubcomponents("vevent")).values()) {
    for (const master of masters) result.push(...occurrencesOf(master, exceptions));
    // An exception without its master still is an event a client shows.
    if (masters.length === 0) {
      for (const orphan of exceptions) {
        const event = new ICAL.Event(orphan);
        result.push(describe(event, event.startDate, event.endDate));
      }
    }
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}

if (process.argv.length !== 3) {
  process.stderr.write("usage: node occurrences.mjs FILE.ics\n");
  process.exit(2);
}
main(process.argv[2]);
