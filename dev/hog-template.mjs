// Hog string templates, compiled to JavaScript the way PostHog compiles a site function's templated inputs.
//
// Follows PostHog/posthog:
//   posthog/hogql/grammar/HogQLLexer.g4   mode IN_FULL_TEMPLATE_STRING: FULL_STRING_TEXT: (~[{] | ESCAPE_CHAR_COMMON |
//                                         '\{')+ ; FULL_STRING_ESCAPE_TRIGGER: '{' -> pushMode(DEFAULT_MODE)
//   posthog/hogql/grammar/HogQLParser.g4  fullTemplateString: stringContentsFull* EOF ;
//                                         stringContentsFull: FULL_STRING_ESCAPE_TRIGGER columnExpr RBRACE | FULL_STRING_TEXT
//   posthog/hogql/parser.py               parse_string_template: 0 pieces -> Constant(""), 1 piece -> that piece,
//                                         more -> Call(name="concat", args=pieces)
//   posthog/hogql/parse_string.py         parse_string_text_ctx(escape_quotes=False): text.replace("\\{", "{") then
//                                         replace_common_escape_characters (single pass: \b \f \r \n \t \0(dropped)
//                                         \a \v \\); parse_string_literal_text for '...' literals ('' and \' -> ')
//   posthog/hogql/compiler/javascript.py  visit_field: __getGlobal("root") then __getProperty(x, "key", true) per
//                                         link; visit_array_access: __getProperty(x, key, false); visit_constant:
//                                         json.dumps; visit_call(concat): concat(a, b) + the STL function
//   posthog/hogql/compiler/javascript_stl.py  the STL sources below (verbatim) and import_stl_functions' ordering
//   posthog/cdp/validation.py             transpile_template_code: dicts/lists recurse, every string is a template,
//                                         anything else json.dumps
//
// The subset compiled here: literal text (with Hog's escapes), and `{...}` placeholders holding a field chain
// (`person.properties.name`, `inputs.x`, `event.properties.$browser`), optionally followed by `['key']` / `[1]`
// array access, or a string ('...'), integer, decimal, true, false or null literal.
//
// STRICTER THAN POSTHOG (rejected here with "(stand-in) ..." although PostHog may accept it, so the stand-in is never
// kinder): any other expression inside `{}` (operators, function calls, `?.`, lambdas, aliases, comments,
// "double-quoted" or `backquoted` identifiers, numbers with leading zeros, exponents, hex or more than 15 digits),
// a root name that is a HogQL keyword or an STL function (PostHog compiles those differently), and `.name` after a
// `[...]` access. PostHog's syntax errors come from ANTLR ("mismatched input ..."); the messages here differ in text
// but not in outcome: the same templates fail.

/** A template PostHog would refuse (or the stand-in does not support). */
export class HogTemplateError extends Error {
    /** @param {string} message @param {boolean} [unsupported] true when PostHog might accept it */
    constructor(message, unsupported = false) {
        super(message)
        this.name = 'HogTemplateError'
        this.unsupported = unsupported
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Python's json.dumps (ensure_ascii=True, separators ", " and ": "), which PostHog uses for every constant.
// ---------------------------------------------------------------------------------------------------------------

/** Python's repr() of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
function pyFloatRepr(n) {
    if (Number.isNaN(n)) return 'NaN'
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
    const [mantissa, expText] = n.toExponential().split('e')
    const exp = Number(expText)
    const negative = mantissa.startsWith('-')
    const digits = mantissa.replace('-', '').replace('.', '')
    let out
    if (exp >= -4 && exp < 16) {
        if (exp >= 0) {
            const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0')
            const frac = digits.slice(exp + 1)
            out = `${intPart}.${frac || '0'}`
        } else {
            out = `0.${'0'.repeat(-exp - 1)}${digits}`
        }
    } else {
        const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
        out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
    }
    return negative ? `-${out}` : out
}

/**
 * Python's `json.dumps(value)`. JSON numbers that are whole are printed as Python ints (JavaScript cannot tell `1`
 * from `1.0` once parsed; Python would print a float `1.0`, the same value in JS).
 * @param {unknown} value
 * @returns {string}
 */
export function pyJsonDumps(value) {
    if (value === null || value === undefined) return 'null'
    if (value === true) return 'true'
    if (value === false) return 'false'
    if (typeof value === 'number') {
        if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString()
        return pyFloatRepr(value)
    }
    if (typeof value === 'string') {
        let out = '"'
        for (let i = 0; i < value.length; i++) {
            const c = value.charCodeAt(i)
            const ch = value[i]
            if (ch === '"') out += '\\"'
            else if (ch === '\\') out += '\\\\'
            else if (ch === '\n') out += '\\n'
            else if (ch === '\r') out += '\\r'
            else if (ch === '\t') out += '\\t'
            else if (ch === '\b') out += '\\b'
            else if (ch === '\f') out += '\\f'
            else if (c < 0x20 || c > 0x7e) out += c === 0x7f ? ch : `\\u${c.toString(16).padStart(4, '0')}`
            else out += ch
        }
        return out + '"'
    }
    if (Array.isArray(value)) return `[${value.map((v) => pyJsonDumps(v)).join(', ')}]`
    if (typeof value === 'object') {
        return `{${Object.entries(value)
            .map(([k, v]) => `${pyJsonDumps(String(k))}: ${pyJsonDumps(v)}`)
            .join(', ')}}`
    }
    throw new TypeError(`Object of type ${typeof value} is not JSON serializable`)
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing (parse_string_template)
// ---------------------------------------------------------------------------------------------------------------

/**
 * @typedef {{ type: 'constant', value: string | number | boolean | null, float?: boolean }} ConstantNode
 * @typedef {{ type: 'field', chain: string[] }} FieldNode
 * @typedef {{ type: 'arrayAccess', array: TemplateNode, property: ConstantNode }} ArrayAccessNode
 * @typedef {{ type: 'call', name: 'concat', args: TemplateNode[] }} CallNode
 * @typedef {ConstantNode | FieldNode | ArrayAccessNode | CallNode} TemplateNode
 */

const ESCAPES = { b: '\b', f: '\f', r: '\r', n: '\n', t: '\t', 0: '', a: '\x07', v: '\v', '\\': '\\' }

/** parse_string.py replace_common_escape_characters (the single-pass version). */
function replaceCommonEscapes(text) {
    let out = ''
    for (let i = 0; i < text.length; i++) {
        if (text[i] === '\\' && i + 1 < text.length && Object.prototype.hasOwnProperty.call(ESCAPES, text[i + 1])) {
            out += ESCAPES[/** @type {keyof typeof ESCAPES} */ (text[i + 1])]
            i++
        } else out += text[i]
    }
    return out
}

/** FULL_STRING_TEXT -> its value: parse_string_text_ctx(ctx, escape_quotes=False). */
function fullStringTextValue(raw) {
    return replaceCommonEscapes(raw.split('\\{').join('{'))
}

/** HogQL keywords: as a placeholder's first word they start other syntax, so the stand-in refuses them. */
const KEYWORDS = new Set(
    (
        'all and anti any array as asc ascending asof between both by case cast catch cohort collate columns cross cube ' +
        'current date day desc descending distinct else end except exclude extract final finally first fn following for ' +
        'from full fun group having hour id if ilike in inf inner intersect interval is join key lambda last leading left ' +
        'let like limit minute month nan not nulls offset on or order outer over partition preceding prewhere quarter ' +
        'range return right rollup row rows sample second select semi settings substring table then throw ties timestamp ' +
        'to top totals trailing trim truncate try try_cast unbounded union unpivot using values week when where while ' +
        'window with within year'
    ).split(' '),
)

/** javascript_stl.py STL_FUNCTIONS keys: a field whose root is one of these compiles to the function itself. */
const STL_NAMES = new Set(
    (
        'concat match __imatch like ilike notLike notILike toString toUUID toInt toFloat ifNull isNull isNotNull length ' +
        'empty notEmpty tuple lower upper reverse print jsonParse jsonStringify JSONHas isValidJSON JSONLength ' +
        'JSONExtractBool base64Encode base64Decode tryBase64Decode encodeURLComponent decodeURLComponent replaceOne ' +
        'replaceAll position positionCaseInsensitive trim trimLeft trimRight splitByString generateUUIDv4 sha256Hex md5Hex ' +
        'sha256HmacChainHex isIPAddressInRange keys values indexOf arrayPushBack arrayPushFront arrayPopBack arrayPopFront ' +
        'arraySort arrayReverse arrayReverseSort arrayStringConcat arrayCount arrayExists arrayFilter arrayMap arrayReduce ' +
        'has now toUnixTimestamp fromUnixTimestamp toUnixTimestampMilli fromUnixTimestampMilli toTimeZone toDate ' +
        'toDateTime formatDateTime HogError Error RetryError NotImplementedError typeof __DateTimeToString __STLToString ' +
        '__isHogDate __isHogDateTime __toHogDate __toHogDateTime __now __toUnixTimestamp __fromUnixTimestamp ' +
        '__toUnixTimestampMilli __fromUnixTimestampMilli __toTimeZone __toDate __toDateTime __formatDateTime ' +
        '__printHogStringOutput __printHogValue __escapeString __escapeIdentifier __newHogError __isHogError ' +
        '__getNestedValue __like __getProperty __setProperty __lambda __toHogInterval __isHogInterval ' +
        '__applyIntervalToDateTime JSONExtractArrayRaw JSONExtractFloat JSONExtractInt JSONExtractString addDays ' +
        'assumeNotNull coalesce dateAdd dateDiff dateTrunc equals extract floor greater greaterOrEquals if in less ' +
        'lessOrEquals min2 minus multiIf not notEquals and or plus range round startsWith substring toIntervalDay ' +
        'toIntervalHour toIntervalMinute toIntervalMonth toMonth toStartOfDay toStartOfHour toStartOfMonth toStartOfWeek ' +
        'toYYYYMM toYear today'
    ).split(' '),
)

const IDENT_START = /[A-Za-z_$]/
const IDENT_PART = /[A-Za-z0-9_$]/
const WHITESPACE = /[ \t\r\n\v\f]/

/**
 * Tokens of one placeholder's expression (HogQL DEFAULT_MODE, the subset supported).
 * @param {string} s @param {number} start index just after the `{`
 * @returns {{ tokens: Array<{ kind: string, text: string, value?: any, at: number }>, end: number }} end: index after `}`
 */
function lexPlaceholder(s, start) {
    const tokens = []
    let i = start
    while (i < s.length) {
        const ch = s[i]
        if (WHITESPACE.test(ch)) {
            i++
            continue
        }
        if (ch === '}') return { tokens, end: i + 1 }
        if (ch === '.' || ch === '[' || ch === ']') {
            tokens.push({ kind: ch, text: ch, at: i })
            i++
            continue
        }
        if (IDENT_START.test(ch)) {
            let j = i + 1
            while (j < s.length && IDENT_PART.test(s[j])) j++
            tokens.push({ kind: 'ident', text: s.slice(i, j), at: i })
            i = j
            continue
        }
        if (/[0-9]/.test(ch)) {
            const m = /^[0-9]+(\.[0-9]+)?/.exec(s.slice(i))
            const text = /** @type {RegExpExecArray} */ (m)[0]
            const next = s[i + text.length]
            if ((text.length > 1 && text[0] === '0' && text[1] !== '.') || text.replace('.', '').length > 15 || (next && /[A-Za-z_$.]/.test(next))) {
                throw new HogTemplateError(`(stand-in) unsupported number literal at position ${i}`, true)
            }
            tokens.push({ kind: 'number', text, value: Number(text), float: text.includes('.'), at: i })
            i += text.length
            continue
        }
        if (ch === "'") {
            // STRING_LITERAL: QUOTE_SINGLE ( ~([\\']) | (BACKSLASH .) | (QUOTE_SINGLE QUOTE_SINGLE) )* QUOTE_SINGLE
            let j = i + 1
            let closed = false
            while (j < s.length) {
                if (s[j] === '\\' && j + 1 < s.length) j += 2
                else if (s[j] === "'" && s[j + 1] === "'") j += 2
                else if (s[j] === "'") {
                    closed = true
                    break
                } else j++
            }
            if (!closed) throw new HogTemplateError(`Syntax error: unterminated string starting at position ${i}`)
            const raw = s.slice(i + 1, j)
            tokens.push({ kind: 'string', text: s.slice(i, j + 1), value: replaceCommonEscapes(raw.split("''").join("'").split("\\'").join("'")), at: i })
            i = j + 1
            continue
        }
        if (ch === '{') throw new HogTemplateError(`Syntax error at position ${i}: Placeholders are not allowed in this context (use "\\{" for a literal brace)`)
        if (ch === '"' || ch === '`') throw new HogTemplateError(`(stand-in) unsupported quoted identifier at position ${i}`, true)
        if ((ch === '/' && (s[i + 1] === '/' || s[i + 1] === '*')) || (ch === '-' && s[i + 1] === '-') || ch === '#') {
            throw new HogTemplateError(`(stand-in) unsupported comment at position ${i}`, true)
        }
        if ('+-*/%=<>!?|&(),:;@^~'.includes(ch)) {
            throw new HogTemplateError(`(stand-in) unsupported expression at position ${i}: only field chains and literals`, true)
        }
        throw new HogTemplateError(`Syntax error at position ${i}: token recognition error at: '${ch}'`)
    }
    throw new HogTemplateError(`Syntax error at position ${s.length}: missing '}' for the '{' at position ${start - 1}`)
}

/** @param {ReturnType<typeof lexPlaceholder>['tokens']} tokens @param {number} openAt @returns {TemplateNode} */
function parseExpression(tokens, openAt) {
    if (tokens.length === 0) throw new HogTemplateError(`Syntax error at position ${openAt + 1}: empty placeholder '{}'`)
    let pos = 0
    const peek = () => tokens[pos]
    const first = tokens[pos++]
    /** @type {TemplateNode} */
    let node
    if (first.kind === 'ident') {
        const chain = [first.text]
        while (peek() && peek().kind === '.') {
            pos++
            const part = tokens[pos++]
            if (!part) throw new HogTemplateError(`Syntax error at position ${tokens[pos - 2].at + 1}: expected a name after '.'`)
            if (part.kind !== 'ident') throw new HogTemplateError(`(stand-in) unsupported '.${part.text}' at position ${part.at}`, true)
            chain.push(part.text)
        }
        const lower = first.text.toLowerCase()
        if (chain.length === 1 && (lower === 'true' || lower === 'false' || lower === 'null')) {
            node = { type: 'constant', value: lower === 'null' ? null : lower === 'true' }
        } else if (lower === 'true' || lower === 'false' || lower === 'null') {
            throw new HogTemplateError(`(stand-in) unsupported '${first.text}.' at position ${first.at}`, true)
        } else if (KEYWORDS.has(lower)) {
            throw new HogTemplateError(`(stand-in) '${first.text}' is a HogQL keyword, not supported as a template's first name`, true)
        } else if (STL_NAMES.has(first.text)) {
            throw new HogTemplateError(`(stand-in) '${first.text}' is a Hog function name, not supported as a template's first name`, true)
        } else node = { type: 'field', chain }
    } else if (first.kind === 'number') {
        node = { type: 'constant', value: first.value, float: first.float }
    } else if (first.kind === 'string') {
        node = { type: 'constant', value: first.value }
    } else {
        throw new HogTemplateError(`Syntax error at position ${first.at}: mismatched input '${first.text}'`)
    }
    while (peek() && peek().kind === '[') {
        if (node.type === 'constant') throw new HogTemplateError(`(stand-in) unsupported '[' after a literal at position ${peek().at}`, true)
        pos++
        const key = tokens[pos++]
        const close = tokens[pos++]
        if (!key || (key.kind !== 'string' && key.kind !== 'number')) {
            throw new HogTemplateError(`(stand-in) unsupported index at position ${key ? key.at : tokens[pos - 2].at}: only a string or an integer`, true)
        }
        if (!close || close.kind !== ']') throw new HogTemplateError(`Syntax error at position ${key.at}: missing ']'`)
        if (key.kind === 'number' && key.float) throw new HogTemplateError(`(stand-in) unsupported decimal index at position ${key.at}`, true)
        node = { type: 'arrayAccess', array: node, property: { type: 'constant', value: key.value } }
    }
    const rest = peek()
    if (rest) {
        if (rest.kind === '.') throw new HogTemplateError(`(stand-in) unsupported '.' after '[...]' at position ${rest.at}`, true)
        // `{a b}` may be HogQL's alias without AS (`a AS b`), which PostHog compiles; the stand-in does not.
        if (rest.kind === 'ident') throw new HogTemplateError(`(stand-in) unsupported '${rest.text}' after an expression at position ${rest.at}`, true)
        throw new HogTemplateError(`Syntax error at position ${rest.at}: extraneous input '${rest.text}' expecting '}'`)
    }
    return node
}

/**
 * PostHog's `parse_string_template`: the whole value is the template (no quotes around it).
 * @param {string} template
 * @returns {TemplateNode}
 */
export function parseStringTemplate(template) {
    /** @type {TemplateNode[]} */
    const pieces = []
    let text = ''
    let i = 0
    const flush = () => {
        if (text) pieces.push({ type: 'constant', value: fullStringTextValue(text) })
        text = ''
    }
    while (i < template.length) {
        const ch = template[i]
        // `\{` is part of the text (maximal munch: FULL_STRING_TEXT's BACKSLASH LBRACE), whatever precedes the `\`.
        if (ch === '\\' && template[i + 1] === '{') {
            text += '\\{'
            i += 2
            continue
        }
        if (ch === '{') {
            flush()
            const { tokens, end } = lexPlaceholder(template, i + 1)
            pieces.push(parseExpression(tokens, i))
            i = end
            continue
        }
        text += ch
        i++
    }
    flush()
    if (pieces.length === 0) return { type: 'constant', value: '' }
    if (pieces.length === 1) return pieces[0]
    return { type: 'call', name: 'concat', args: pieces }
}

// ---------------------------------------------------------------------------------------------------------------
// Compiling (JavaScriptCompiler)
// ---------------------------------------------------------------------------------------------------------------

/**
 * @param {TemplateNode} node
 * @param {Set<string>} stl collects the STL functions the code needs (JavaScriptCompiler.stl_functions)
 * @returns {string}
 */
export function compileTemplateNode(node, stl) {
    switch (node.type) {
        case 'constant':
            if (typeof node.value === 'number' && node.float) return pyFloatRepr(node.value)
            return pyJsonDumps(node.value)
        case 'field': {
            let code = `__getGlobal(${pyJsonDumps(node.chain[0])})`
            for (const link of node.chain.slice(1)) {
                stl.add('__getProperty')
                code = `__getProperty(${code}, ${pyJsonDumps(link)}, true)`
            }
            return code
        }
        case 'arrayAccess':
            stl.add('__getProperty')
            return `__getProperty(${compileTemplateNode(node.array, stl)}, ${compileTemplateNode(node.property, stl)}, false)`
        case 'call':
            stl.add('concat')
            return `concat(${node.args.map((arg) => compileTemplateNode(arg, stl)).join(', ')})`
    }
    throw new Error('unknown node')
}

/** Parse and compile one template string. */
export function compileStringTemplate(template, stl = new Set()) {
    return compileTemplateNode(parseStringTemplate(template), stl)
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * validation.py `transpile_template_code`: objects and lists recurse, every string is a template (with or without
 * a `{`), anything else is `json.dumps`.
 * @param {unknown} value
 * @param {Set<string>} stl
 * @returns {string}
 */
export function transpileTemplateCode(value, stl) {
    if (isPlainObject(value)) {
        return `{${Object.entries(/** @type {object} */ (value))
            .map(([k, v]) => `${pyJsonDumps(String(k))}: ${transpileTemplateCode(v, stl)}`)
            .join(', ')}}`
    }
    if (Array.isArray(value)) return `[${value.map((v) => transpileTemplateCode(v, stl)).join(', ')}]`
    if (typeof value === 'string') return compileStringTemplate(value, stl)
    return pyJsonDumps(value)
}

// ---------------------------------------------------------------------------------------------------------------
// STL (javascript_stl.py): the functions templates can need, verbatim, and import_stl_functions' order.
// ---------------------------------------------------------------------------------------------------------------

// Verbatim from javascript_stl.py STL_FUNCTIONS (after Python string processing and .strip()).
const STL_SOURCE___DateTimeToString =
    "function __DateTimeToString(dt) {\n    if (__isHogDateTime(dt)) {\n        const date = new Date(dt.dt * 1000);\n        const timeZone = dt.zone || 'UTC';\n        const milliseconds = Math.floor(dt.dt * 1000 % 1000);\n        const options = { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };\n        const formatter = new Intl.DateTimeFormat('en-US', options);\n        const parts = formatter.formatToParts(date);\n        let year, month, day, hour, minute, second;\n        for (const part of parts) {\n            switch (part.type) {\n                case 'year': year = part.value; break;\n                case 'month': month = part.value; break;\n                case 'day': day = part.value; break;\n                case 'hour': hour = part.value; break;\n                case 'minute': minute = part.value; break;\n                case 'second': second = part.value; break;\n                default: break;\n            }\n        }\n        const getOffset = (date, timeZone) => {\n            const tzDate = new Date(date.toLocaleString('en-US', { timeZone }));\n            const utcDate = new Date(date.toLocaleString('en-US', { timeZone: 'UTC' }));\n            const offset = (tzDate - utcDate) / 60000; // in minutes\n            const sign = offset >= 0 ? '+' : '-';\n            const absOffset = Math.abs(offset);\n            const hours = Math.floor(absOffset / 60);\n            const minutes = absOffset % 60;\n            return `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;\n        };\n        let offset = 'Z';\n        if (timeZone !== 'UTC') {\n            offset = getOffset(date, timeZone);\n        }\n        let isoString = `${year}-${month}-${day}T${hour}:${minute}:${second}`;\n        isoString += `.${milliseconds.toString().padStart(3, '0')}`;\n        isoString += offset;\n        return isoString;\n    }\n}"
const STL_SOURCE___STLToString =
    "function __STLToString(arg) {\n    if (arg && __isHogDate(arg)) { return `${arg.year}-${arg.month.toString().padStart(2, '0')}-${arg.day.toString().padStart(2, '0')}`; }\n    else if (arg && __isHogDateTime(arg)) { return __DateTimeToString(arg); }\n    return __printHogStringOutput(arg); }"
const STL_SOURCE___escapeIdentifier =
    "function __escapeIdentifier(identifier) {\n    const backquoteEscapeCharsMap = { '\\b': '\\\\b', '\\f': '\\\\f', '\\r': '\\\\r', '\\n': '\\\\n', '\\t': '\\\\t', '\\0': '\\\\0', '\\v': '\\\\v', '\\\\': '\\\\\\\\', '`': '\\\\`' }\n    if (typeof identifier === 'number') return identifier.toString();\n    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(identifier)) return identifier;\n    return `\\`${identifier.split('').map((c) => backquoteEscapeCharsMap[c] || c).join('')}\\``;\n}"
const STL_SOURCE___escapeString =
    "function __escapeString(value) {\n    const singlequoteEscapeCharsMap = { '\\b': '\\\\b', '\\f': '\\\\f', '\\r': '\\\\r', '\\n': '\\\\n', '\\t': '\\\\t', '\\0': '\\\\0', '\\v': '\\\\v', '\\\\': '\\\\\\\\', \"'\": \"\\\\'\" }\n    return `'${value.split('').map((c) => singlequoteEscapeCharsMap[c] || c).join('')}'`;\n}"
const STL_SOURCE___getProperty =
    "function __getProperty(objectOrArray, key, nullish) {\n    if ((nullish && !objectOrArray) || key === 0) { return null }\n    if (Array.isArray(objectOrArray)) { return key > 0 ? objectOrArray[key - 1] : objectOrArray[objectOrArray.length + key] }\n    else { return objectOrArray[key] }\n}"
const STL_SOURCE___isHogDate =
    "function __isHogDate(obj) { return obj && obj.__hogDate__ === true }"
const STL_SOURCE___isHogDateTime =
    "function __isHogDateTime(obj) { return obj && obj.__hogDateTime__ === true }"
const STL_SOURCE___isHogError =
    "function __isHogError(obj) {return obj && obj.__hogError__ === true}"
const STL_SOURCE___printHogStringOutput =
    "function __printHogStringOutput(obj) { if (typeof obj === 'string') { return obj } return __printHogValue(obj) }"
const STL_SOURCE___printHogValue =
    "function __printHogValue(obj, marked = new Set()) {\n    if (typeof obj === 'object' && obj !== null && obj !== undefined) {\n        if (marked.has(obj) && !__isHogDateTime(obj) && !__isHogDate(obj) && !__isHogError(obj)) { return 'null'; }\n        marked.add(obj);\n        try {\n            if (Array.isArray(obj)) {\n                if (obj.__isHogTuple) { return obj.length < 2 ? `tuple(${obj.map((o) => __printHogValue(o, marked)).join(', ')})` : `(${obj.map((o) => __printHogValue(o, marked)).join(', ')})`; }\n                return `[${obj.map((o) => __printHogValue(o, marked)).join(', ')}]`;\n            }\n            if (__isHogDateTime(obj)) { const millis = String(obj.dt); return `DateTime(${millis}${millis.includes('.') ? '' : '.0'}, ${__escapeString(obj.zone)})`; }\n            if (__isHogDate(obj)) return `Date(${obj.year}, ${obj.month}, ${obj.day})`;\n            if (__isHogError(obj)) { return `${String(obj.type)}(${__escapeString(obj.message)}${obj.payload ? `, ${__printHogValue(obj.payload, marked)}` : ''})`; }\n            if (obj instanceof Map) { return `{${Array.from(obj.entries()).map(([key, value]) => `${__printHogValue(key, marked)}: ${__printHogValue(value, marked)}`).join(', ')}}`; }\n            return `{${Object.entries(obj).map(([key, value]) => `${__printHogValue(key, marked)}: ${__printHogValue(value, marked)}`).join(', ')}}`;\n        } finally {\n            marked.delete(obj);\n        }\n    } else if (typeof obj === 'boolean') return obj ? 'true' : 'false';\n    else if (obj === null || obj === undefined) return 'null';\n    else if (typeof obj === 'string') return __escapeString(obj);\n            if (typeof obj === 'function') return `fn<${__escapeIdentifier(obj.name || 'lambda')}(${obj.length})>`;\n    return obj.toString();\n}"
const STL_SOURCE_concat =
    "function concat (...args) { return args.map((arg) => (arg === null ? '' : __STLToString(arg))).join('') }"

/** @type {Record<string, [string, string[]]>} */
const STL = {
    concat: [STL_SOURCE_concat, ['__STLToString']],
    __STLToString: [STL_SOURCE___STLToString, ['__isHogDate', '__isHogDateTime', '__printHogStringOutput', '__DateTimeToString']],
    __isHogDate: [STL_SOURCE___isHogDate, []],
    __isHogDateTime: [STL_SOURCE___isHogDateTime, []],
    __DateTimeToString: [STL_SOURCE___DateTimeToString, []],
    __printHogStringOutput: [STL_SOURCE___printHogStringOutput, ['__printHogValue']],
    __printHogValue: [STL_SOURCE___printHogValue, ['__isHogDateTime', '__isHogDate', '__isHogError', '__escapeString', '__escapeIdentifier']],
    __escapeString: [STL_SOURCE___escapeString, []],
    __escapeIdentifier: [STL_SOURCE___escapeIdentifier, []],
    __isHogError: [STL_SOURCE___isHogError, []],
    __getProperty: [STL_SOURCE___getProperty, []],
}

/**
 * `import_stl_functions`: the requested functions and their dependencies, in the order PostHog emits them (a
 * post-order walk over the sorted graph, reversed), joined by newlines.
 * @param {Iterable<string>} requested
 * @returns {string}
 */
export function importStlFunctions(requested) {
    const required = new Set()
    const visited = new Set()
    const dfs = (name) => {
        if (visited.has(name)) return
        visited.add(name)
        if (!STL[name]) throw new Error(`Function '${name}' is not defined.`)
        for (const dep of [...STL[name][1]].sort()) dfs(dep)
        required.add(name)
    }
    for (const name of requested) dfs(name)
    /** @type {Record<string, string[]>} */
    const graph = {}
    for (const name of [...required].sort()) graph[name] = STL[name][1]
    const done = new Set()
    const temp = new Set()
    const result = []
    const visit = (node) => {
        if (done.has(node)) return
        if (temp.has(node)) throw new Error(`Circular dependency detected involving ${node}`)
        temp.add(node)
        for (const next of [...(graph[node] ?? [])].sort()) visit(next)
        temp.delete(node)
        done.add(node)
        result.push(node)
    }
    for (const node of Object.keys(graph).sort()) visit(node)
    return result
        .reverse()
        .map((name) => STL[name][0].trim())
        .join('\n')
}
