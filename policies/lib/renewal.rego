# The renewal window items share: an item of data.data.windows.renewal_opens may be renewed from
# its window (`days`, a key of data.data.windows) before the expiry date of its record
# (`record`.`expires`). Each such item keeps its own *_TOO_EARLY deny rule and METADATA (code,
# texts, basis) and takes the details from too_early.
package roadcheck.lib.renewal

import data.roadcheck.lib.application as app
import data.roadcheck.lib.dates

# The registry record a window is counted from (undefined when the registry does not know it).
record("qualification") := app.qualification

record("vehicle") := app.vehicle

# too_early: the violation details when as_of is before the item's renewal window opens.
too_early := {
	"field": concat(".", [w.record, w.expires]),
	"params": {"opens_on": opens_on},
	"vars": {"days": days},
} if {
	w := data.data.windows.renewal_opens[input.item]
	expires := record(w.record)[w.expires]
	input.as_of < expires # cheap pre-check: only before expiry can it be too early
	days := data.data.windows[w.days]
	opens_on := dates.add_days(expires, 0 - days)
	input.as_of < opens_on
}
