// In the browser the app asks CSS.supports('color', value) whether a colour setting is a colour (src/colour.ts). Node
// has no CSS parser, so deploy asks this instead: the same grammar the browser applies to the plain forms the app lets
// through (src/colour.ts cssColour: hex, rgb()/hsl() of plain values, a name), written from CSS Color 4:
//   - hex: 3, 4, 6 or 8 hex digits;
//   - a named colour of CSS Color 4's list (below), `transparent` or `currentcolor`;
//   - rgb()/rgba()/hsl()/hsla(): three numbers (hue may carry deg; the others % or plain for rgb, % for hsl's
//     saturation and lightness, CSS Color 4 also takes plain numbers there) and an optional alpha, all comma separated
//     or all space separated with `/ alpha`.
// It can be stricter than a browser in corners (calc() inside rgb(), `none`), never looser: a colour refused here is
// one to write plainly, never one the visitor's browser would drop.

const NAMED = new Set(
    (
        'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood ' +
        'cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray ' +
        'darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen ' +
        'darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue ' +
        'firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew ' +
        'hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan ' +
        'lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray ' +
        'lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue ' +
        'mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred ' +
        'midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid ' +
        'palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple ' +
        'rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue ' +
        'slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow ' +
        'yellowgreen transparent currentcolor'
    ).split(' '),
)

const NUMBER = '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[+-]?\\d+)?'
const PERCENT_OR_NUMBER = `${NUMBER}%?`
const HUE = `${NUMBER}(?:deg|grad|rad|turn)?`
const ALPHA = `${NUMBER}%?`
const commas = (first, rest) => new RegExp(`^\\(\\s*${first}\\s*,\\s*${rest}\\s*,\\s*${rest}\\s*(?:,\\s*${ALPHA}\\s*)?\\)$`)
const spaces = (first, rest) => new RegExp(`^\\(\\s*${first}\\s+${rest}\\s+${rest}\\s*(?:\\/\\s*${ALPHA}\\s*)?\\)$`)
const RGB = [commas(PERCENT_OR_NUMBER, PERCENT_OR_NUMBER), spaces(PERCENT_OR_NUMBER, PERCENT_OR_NUMBER)]
const HSL = [commas(HUE, PERCENT_OR_NUMBER), spaces(HUE, PERCENT_OR_NUMBER)]

/** Whether `value` (lower-cased, trimmed) is a colour a browser's CSS.supports('color', value) accepts. */
export function isColour(value) {
    const colour = String(value).trim().toLowerCase()
    if (/^#([\da-f]{3}|[\da-f]{4}|[\da-f]{6}|[\da-f]{8})$/.test(colour)) return true
    if (NAMED.has(colour)) return true
    const fn = /^(rgba?|hsla?)(\(.*\))$/.exec(colour)
    if (!fn) return false
    return (fn[1].startsWith('rgb') ? RGB : HSL).some((pattern) => pattern.test(fn[2]))
}
