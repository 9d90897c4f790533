// A small, strict JSON reader for the test vectors: the JDK ships none and
// there is no Maven Central here. Objects keep their key order; integers are
// BigInteger (the vectors hold values up to 2^64-1), other numbers Double.

import java.math.BigInteger

class JsonException(message: String) : Exception(message)

class JsonReader private constructor(private val text: String) {
    private var pos = 0

    companion object {
        fun parse(text: String): Any? {
            val reader = JsonReader(text)
            reader.skipSpace()
            val value = reader.value()
            reader.skipSpace()
            if (reader.pos != text.length) reader.fail("trailing data")
            return value
        }
    }

    private fun fail(what: String): Nothing = throw JsonException("JSON: $what at offset $pos")

    private fun skipSpace() {
        while (pos < text.length && text[pos] in " \t\r\n") pos++
    }

    private fun peek(): Char = if (pos < text.length) text[pos] else fail("unexpected end")

    private fun expect(c: Char) {
        if (peek() != c) fail("expected '$c'")
        pos++
    }

    private fun value(): Any? = when (peek()) {
        '{' -> obj()
        '[' -> array()
        '"' -> string()
        't' -> literal("true", true)
        'f' -> literal("false", false)
        'n' -> literal("null", null)
        else -> number()
    }

    private fun literal(word: String, value: Any?): Any? {
        if (!text.startsWith(word, pos)) fail("bad literal")
        pos += word.length
        return value
    }

    private fun obj(): Map<String, Any?> {
        val out = LinkedHashMap<String, Any?>()
        expect('{')
        skipSpace()
        if (peek() == '}') { pos++; return out }
        while (true) {
            skipSpace()
            val key = string()
            if (out.containsKey(key)) fail("duplicate key \"$key\"")
            skipSpace()
            expect(':')
            skipSpace()
            out[key] = value()
            skipSpace()
            when (peek()) {
                ',' -> pos++
                '}' -> { pos++; return out }
                else -> fail("expected ',' or '}'")
            }
        }
    }

    private fun array(): List<Any?> {
        val out = ArrayList<Any?>()
        expect('[')
        skipSpace()
        if (peek() == ']') { pos++; return out }
        while (true) {
            skipSpace()
            out.add(value())
            skipSpace()
            when (peek()) {
                ',' -> pos++
                ']' -> { pos++; return out }
                else -> fail("expected ',' or ']'")
            }
        }
    }

    private fun string(): String {
        expect('"')
        val sb = StringBuilder()
        while (true) {
            val c = peek()
            pos++
            when {
                c == '"' -> return sb.toString()
                c == '\\' -> {
                    val e = peek()
                    pos++
                    when (e) {
                        '"' -> sb.append('"')
                        '\\' -> sb.append('\\')
                        '/' -> sb.append('/')
                        'b' -> sb.append('\b')
                        'f' -> sb.append('\u000C')
                        'n' -> sb.append('\n')
                        'r' -> sb.append('\r')
                        't' -> sb.append('\t')
                        'u' -> {
                            if (pos + 4 > text.length) fail("short \\u escape")
                            val hex = text.substring(pos, pos + 4)
                            if (!hex.all { it in "0123456789abcdefABCDEF" }) fail("bad \\u escape")
                            sb.append(hex.toInt(16).toChar())
                            pos += 4
                        }
                        else -> fail("bad escape")
                    }
                }
                c < ' ' -> fail("raw control character in string")
                else -> sb.append(c)
            }
        }
    }

    private fun number(): Any {
        val start = pos
        if (peek() == '-') pos++
        while (pos < text.length && text[pos].isDigit()) pos++
        var integral = true
        if (pos < text.length && text[pos] == '.') {
            integral = false
            pos++
            while (pos < text.length && text[pos].isDigit()) pos++
        }
        if (pos < text.length && (text[pos] == 'e' || text[pos] == 'E')) {
            integral = false
            pos++
            if (pos < text.length && (text[pos] == '+' || text[pos] == '-')) pos++
            while (pos < text.length && text[pos].isDigit()) pos++
        }
        val raw = text.substring(start, pos)
        if (raw.isEmpty() || raw == "-") fail("bad value")
        return if (integral) BigInteger(raw) else raw.toDouble()
    }
}
