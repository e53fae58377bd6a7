// Package workday owns working-time arithmetic on the Swedish calendar: which
// days count as working days for the feedback mailbox, and when a deadline
// expressed in working hours or working days falls due. The Swedish public
// holidays come from github.com/rickar/cal/v2/se (movable feasts such as
// Easter, Ascension, midsummer and All Saints' Day change every year);
// municipalities add local days off (a summer closing, "klämdagar") as
// Periods.
//
// # The model
//
// The clock runs only on working days, from local midnight to the next local
// midnight in the calendar's Location (default Europe/Stockholm). There are no
// office hours inside a day: a working day contributes its whole length,
// 24 hours, of working time. A day is not a working day if it is a Saturday or
// Sunday, a Swedish public holiday (nyårsdagen, trettondedag jul, långfredagen,
// påskdagen, annandag påsk, första maj, Kristi himmelfärds dag, pingstdagen,
// Sveriges nationaldag, midsommardagen, alla helgons dag, juldagen, annandag
// jul), one of the de facto days off midsommarafton, julafton and nyårsafton
// (unless Options.EvesAreWorkdays), or inside one of Options.ExtraDaysOff.
//
// For the contact center this means:
//
//   - A message received Friday 15:00 with a 48 hour first-response deadline
//     is due Tuesday 15:00: 9 hours on Friday, 24 on Monday, 15 on Tuesday.
//   - A message received on a day off (Saturday, a holiday, the summer
//     closing) is treated as received at 00:00 on the next working day: one
//     received on Saturday with a 48 hour deadline is due Wednesday 00:00,
//     that is, by the end of Tuesday.
//   - A deadline that uses up the last working day exactly is the first
//     instant after it: 00:00 of the next calendar day. A due time of 00:00 on
//     day D always reads "by the end of the day before D".
//   - AddWorkingDays keeps the local clock time: Wednesday 10:00 + 10 working
//     days is Wednesday 10:00 two weeks later when no holiday intervenes, and
//     later by one working day for each day off in between.
//   - Holidays are skipped wherever they fall: Easter (långfredagen through
//     annandag påsk), Ascension, midsummer, Christmas and New Year.
//
// # What always holds
//
// A Calendar is immutable and safe for concurrent use. Results are in the
// calendar's Location and never before the start. For h ≥ 0,
// WorkingHoursBetween(t, AddWorkingHours(t, h)) is exactly h hours and
// AddWorkingHours(t, h) is the earliest instant for which that holds; the
// result is non-decreasing in h. In Europe/Stockholm, AddWorkingDays(t, n) is
// n×24 working hours after t, though it may be a later instant with no working
// time in between: Friday 00:00 + 1 working day is Monday 00:00, while
// AddWorkingHours gives Saturday 00:00; both mean "end of Friday".
//
// The same wall-clock time on a day that is not a working day is never a
// result of AddWorkingDays, and the hours of a day off never count.
//
// Daylight saving time: results keep the local wall-clock time. In
// Europe/Stockholm the clocks change on Sundays, which are never working days,
// so every working day is exactly 24 hours long and Friday 10:00 + 24 working
// hours is Monday 10:00 whether or not the clocks changed over the weekend. In a
// Location that changes clocks on a working day, that day contributes its real
// length (23 or 25 hours) to AddWorkingHours and WorkingHoursBetween.
//
// # How it fails
//
// Arithmetic never fails and never panics. Negative amounts are treated as zero
// (the start is returned); amounts above MaxWorkingDays working days are
// clamped to it. Times are supported in years 1 to 9999. Invalid local days
// off are errors from ParsePeriod and Options.Validate; New panics on options
// that do not validate, as that is a programming error once configuration has
// been validated.
package workday
