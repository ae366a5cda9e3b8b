/*
 * Reads an iCalendar file with libical 3.x, the library of Evolution.
 *
 *   libical_check errors FILE.ics
 *       Parses the file, runs the restriction checks (icalrestriction_check on each
 *       VCALENDAR: what icalcomponent_check_restrictions does) and prints every X-LIC-ERROR
 *       found anywhere in the tree, one per line: COMPONENT<TAB>UID<TAB>ERRORTYPE<TAB>TEXT
 *       (UID empty for a component without one).
 *       Parse errors are in the tree before the check and stay there; the check adds its own.
 *       libical stops checking a VCALENDAR's components at the first one that fails, so
 *       restriction errors name at most one component per VCALENDAR.
 *
 *   libical_check occurrences FILE.ics
 *       Prints every occurrence of every VEVENT, one per line:
 *       UID<TAB>START<TAB>END<TAB>STATUS, with START and END as 2027-03-29T17:00:00Z.
 *       TZID values are resolved with the file's own VTIMEZONEs; a TZID without one is an
 *       error (exit 3) rather than a silent fallback to libical's built-in zones.
 *       DATE values and floating times have no instant of their own: they are printed as
 *       their wall-clock value read as UTC.
 *
 * Exit status: 0 when the file was read (errors or not), 2 on usage or I/O problems,
 * 3 on a TZID without a VTIMEZONE.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Stops a rule without UNTIL or COUNT from expanding forever. */
#define MAX_OCCURRENCES_PER_RULE 2000

static char *read_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    size_t size = 0, capacity = 1 << 16;
    char *text = malloc(capacity);
    size_t got;
    while (text != NULL && (got = fread(text + size, 1, capacity - size - 1, file)) > 0) {
        size += got;
        if (capacity - size - 1 == 0)
            text = realloc(text, capacity *= 2);
    }
    fclose(file);
    if (text != NULL)
        text[size] = '\0';
    return text;
}

/* ---- errors --------------------------------------------------------------------------- */

/* The children of one kind, in file order, as a NULL-terminated array. libical keeps one
   child iterator per component, so nested walks over the same parent would disturb each
   other; an array is walked freely. */
static icalcomponent **children_of(icalcomponent *parent, icalcomponent_kind kind)
{
    int count = icalcomponent_count_components(parent, kind);
    icalcomponent **children = calloc((size_t)count + 1, sizeof *children);
    int i = 0;
    for (icalcomponent *child = icalcomponent_get_first_component(parent, kind);
         child != NULL && i < count; child = icalcomponent_get_next_component(parent, kind))
        children[i++] = child;
    return children;
}

/* The VCALENDARs of the file: several top-level components come back wrapped in an XROOT. */
static icalcomponent **calendars_of(icalcomponent *root)
{
    if (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT)
        return children_of(root, ICAL_VCALENDAR_COMPONENT);
    icalcomponent **calendars = calloc(2, sizeof *calendars);
    calendars[0] = root;
    return calendars;
}

static void print_errors_in(icalcomponent *component)
{
    icalproperty *uid_property = icalcomponent_get_first_property(component, ICAL_UID_PROPERTY);
    const char *uid = uid_property ? icalproperty_get_uid(uid_property) : NULL;
    for (icalproperty *error = icalcomponent_get_first_property(component,
                                                                ICAL_XLICERROR_PROPERTY);
         error != NULL;
         error = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)) {
        icalparameter *type = icalproperty_get_first_parameter(error,
                                                               ICAL_XLICERRORTYPE_PARAMETER);
        printf("%s\t%s\t%s\t%s\n",
               icalcomponent_kind_to_string(icalcomponent_isa(component)),
               uid ? uid : "",
               type ? icalparameter_enum_to_string(icalparameter_get_xlicerrortype(type)) : "",
               icalproperty_get_xlicerror(error));
    }
    icalcomponent **children = children_of(component, ICAL_ANY_COMPONENT);
    for (icalcomponent **child = children; *child != NULL; child++)
        print_errors_in(*child);
    free(children);
}

static void check_restrictions(icalcomponent **calendars)
{
    /* icalcomponent_check_restrictions, the call of Evolution, is this function. */
    for (icalcomponent **calendar = calendars; *calendar != NULL; calendar++)
        icalrestriction_check(*calendar);
}

/* ---- occurrences ---------------------------------------------------------------------- */

struct tzid_check {
    icalcomponent **calendars;
    int missing;
};

static void check_tzid(icalparameter *param, void *data)
{
    struct tzid_check *check = data;
    const char *tzid = icalparameter_get_tzid(param);
    for (icalcomponent **calendar = check->calendars; *calendar != NULL; calendar++) {
        if (icalcomponent_get_timezone(*calendar, tzid) != NULL)
            return;
    }
    fprintf(stderr, "TZID %s has no VTIMEZONE in the file\n", tzid);
    check->missing = 1;
}

/* Seconds since the epoch; DATE and floating values count as UTC wall clock. */
static time_t instant(struct icaltimetype time)
{
    return icaltime_as_timet(icaltime_convert_to_zone(time, icaltimezone_get_utc_timezone()));
}

static const char *iso_utc(time_t seconds, char *buffer, size_t size)
{
    struct tm utc;
    gmtime_r(&seconds, &utc);
    strftime(buffer, size, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

static const char *status_of(icalcomponent *event)
{
    icalproperty *status = icalcomponent_get_first_property(event, ICAL_STATUS_PROPERTY);
    return status ? icalproperty_get_value_as_string(status) : "";
}

/* A RECURRENCE-ID event of the same UID replaces this occurrence; it is printed on its own. */
static int is_overridden(icalcomponent **events, const char *uid, time_t start)
{
    for (icalcomponent **other = events; *other != NULL; other++) {
        icalproperty *recurrence_id = icalcomponent_get_first_property(
            *other, ICAL_RECURRENCEID_PROPERTY);
        if (recurrence_id != NULL && strcmp(icalcomponent_get_uid(*other), uid) == 0 &&
            instant(icalproperty_get_datetime_with_component(recurrence_id, *other)) == start)
            return 1;
    }
    return 0;
}

static int compare_instants(const void *a, const void *b)
{
    time_t left = *(const time_t *)a, right = *(const time_t *)b;
    return (left > right) - (left < right);
}

struct starts {
    time_t *items;
    size_t count, capacity;
};

static void add_start(struct starts *starts, time_t start)
{
    if (starts->count == starts->capacity) {
        starts->capacity = starts->capacity ? starts->capacity * 2 : 64;
        starts->items = realloc(starts->items, starts->capacity * sizeof(time_t));
    }
    starts->items[starts->count++] = start;
}

/* The recurrence set of RFC 5545 3.8.5: DTSTART, RRULE and RDATE values less EXDATE,
   each start once. RDATE periods (VALUE=PERIOD) are not read. */
static void collect_starts(icalcomponent *event, struct starts *starts)
{
    struct icaltimetype dtstart = icalcomponent_get_dtstart(event);
    int recurs = 0;
    for (icalproperty *rrule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
         rrule != NULL; rrule = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)) {
        recurs = 1;
        icalrecur_iterator *iterator = icalrecur_iterator_new(icalproperty_get_rrule(rrule),
                                                              dtstart);
        if (iterator == NULL)
            continue;
        struct icaltimetype next;
        for (int n = 0; n < MAX_OCCURRENCES_PER_RULE &&
             !icaltime_is_null_time(next = icalrecur_iterator_next(iterator)); n++) {
            if (!icalproperty_recurrence_is_excluded(event, &dtstart, &next))
                add_start(starts, instant(next));
        }
        icalrecur_iterator_free(iterator);
    }
    for (icalproperty *rdate = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY);
         rdate != NULL; rdate = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)) {
        recurs = 1;
        struct icaltimetype value = icalproperty_get_datetime_with_component(rdate, event);
        if (!icaltime_is_null_time(value) &&
            !icalproperty_recurrence_is_excluded(event, &dtstart, &value))
            add_start(starts, instant(value));
    }
    if (!recurs && !icalproperty_recurrence_is_excluded(event, &dtstart, &dtstart))
        add_start(starts, instant(dtstart));
    qsort(starts->items, starts->count, sizeof(time_t), compare_instants);
}

static void print_occurrences_of(icalcomponent **events, icalcomponent *event)
{
    const char *uid = icalcomponent_get_uid(event);
    int is_override = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY) != NULL;
    /* RFC 5545 3.8.5.3: a duration given by DTEND is exact, the same for every occurrence. */
    time_t length = instant(icalcomponent_get_dtend(event)) -
                    instant(icalcomponent_get_dtstart(event));
    struct starts starts = {0};
    collect_starts(event, &starts);
    char start_text[32], end_text[32];
    for (size_t i = 0; i < starts.count; i++) {
        if (i > 0 && starts.items[i] == starts.items[i - 1])
            continue;
        if (!is_override && is_overridden(events, uid, starts.items[i]))
            continue;
        printf("%s\t%s\t%s\t%s\n", uid,
               iso_utc(starts.items[i], start_text, sizeof start_text),
               iso_utc(starts.items[i] + length, end_text, sizeof end_text),
               status_of(event));
    }
    free(starts.items);
}

static void print_occurrences_in(icalcomponent *calendar)
{
    icalcomponent **events = children_of(calendar, ICAL_VEVENT_COMPONENT);
    for (icalcomponent **event = events; *event != NULL; event++)
        print_occurrences_of(events, *event);
    free(events);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "errors") != 0 && strcmp(argv[1], "occurrences") != 0)) {
        fprintf(stderr, "usage: %s errors|occurrences FILE.ics\n", argv[0]);
        return 2;
    }
    char *text = read_file(argv[2]);
    if (text == NULL) {
        perror(argv[2]);
        return 2;
    }
    icalcomponent *root = icalparser_parse_string(text);
    free(text);
    if (root == NULL) {
        fprintf(stderr, "%s: libical found no component\n", argv[2]);
        return 2;
    }
    icalcomponent **calendars = calendars_of(root);
    int status = 0;
    if (strcmp(argv[1], "errors") == 0) {
        check_restrictions(calendars);
        print_errors_in(root);
    } else {
        struct tzid_check check = {calendars, 0};
        icalcomponent_foreach_tzid(root, check_tzid, &check);
        for (icalcomponent **calendar = calendars; !check.missing && *calendar != NULL;
             calendar++)
            print_occurrences_in(*calendar);
        status = check.missing ? 3 : 0;
    }
    free(calendars);
    icalcomponent_free(root);
    return status;
}
