// The booking tool's redirect after a booking: a page whose address has `?bookedUserInterviewEvent={flag}` (or the
// original app's `bookedUserInterview`), in its query or a hash route's, counts as that flag's booking.
import type { AppContext } from './context'
import { guard, warn } from './guard'
import { answeredHere, bookedKey } from './memory'
import { BOOKED_PARAM, OLD_BOOKED_PARAM, queryParam, withoutQueryParam } from './urls'

/**
 * Anyone can craft that address, so only a flag the app knows counts, once per browser; the parameter then leaves
 * the address bar (and only it: the page's own query keeps every byte) so a reload cannot count it again.
 */
export function countBookingRedirect(app: AppContext): void {
    const { settings, store } = app
    const booked = queryParam(location.href, BOOKED_PARAM) || queryParam(location.href, OLD_BOOKED_PARAM)
    if (!booked) return
    if (
        settings.interviewConfigs.some((config) => config.flag === booked) ||
        (settings.flagStartsWith && booked.indexOf(settings.flagStartsWith) === 0 && answeredHere(store, booked))
    ) {
        if (!store.get(bookedKey(booked))) {
            store.set(bookedKey(booked), '1')
            app.recordAnswer(settings.bookedUserInterviewEvent, booked)
        }
        guard(() => history.replaceState(history.state, '', withoutQueryParam(location.href, `${BOOKED_PARAM}|${OLD_BOOKED_PARAM}`)))()
    } else warn(`Ignoring ${BOOKED_PARAM}: unknown flag.`)
}
