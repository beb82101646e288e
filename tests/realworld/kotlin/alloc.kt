// An allocation-heavy, deterministic Kotlin/Wasm (wasm-wasi) program for
// Weft's GC work. Each phase builds and drops large object graphs while
// keeping only a small live set, and prints a checksum:
//
//   trees       binary trees (GC structs) of depth up to TREE_DEPTH, built
//               and walked repeatedly, next to one long-lived tree
//   map         a HashMap<String, List<Int>> churned: entries added,
//               looked up, replaced and removed in a sliding window
//   strings     strings built with StringBuilder, templates, split and join
//   exceptions  exceptions (objects with a message and a payload) thrown
//               through a few frames and caught, in a loop
//   objects     lists of data classes sorted, grouped and mapped, arrays
//               of references, boxed values, closures and interface calls
//
// The amount of work is WORK (rounds of every phase, each the same work;
// the checksums of a round depend on its number); TREE_DEPTH bounds the
// trees. With WORK = 2 and TREE_DEPTH = 16 it allocates, by estimate, a
// few hundred MB in all (the trees alone are 2 x 1.96 M nodes of 7
// fields), nearly all of it short-lived, and runs in about 3 s under
// Wasmtime 48 with its default (DRC) collector, whose peak RSS, its
// compiler included, stays near 200 MB (and near 300 MB with WORK = 8).
// tests/realworld/kotlin/alloc.expected is what Wasmtime printed for it
// (tests/realworld/kotlin-build.sh builds it and, with --check, checks it).

const val WORK = 2
const val TREE_DEPTH = 16

// ---------------------------------------------------------------- helpers

/** A 32-bit linear congruential generator: deterministic on any host. */
class Lcg(private var state: Int) {
    fun next(): Int {
        state = state * 1103515245 + 12345
        return (state ushr 1)
    }
    fun below(n: Int): Int = next() % n
}

/** A running checksum (FNV-1a style over ints). */
class Checksum {
    var value: Int = -2128831035
        private set
    fun add(x: Int) { value = (value xor x) * 16777619 }
    fun add(x: Long) { add(x.toInt()); add((x ushr 32).toInt()) }
    fun add(s: String) { add(s.hashCode()); add(s.length) }
    fun hex(): String = value.toUInt().toString(16).padStart(8, '0')
}

// ------------------------------------------------------------------ trees

class Node(val left: Node?, val right: Node?, val value: Int)

fun bottomUp(depth: Int, value: Int): Node =
    if (depth <= 0) Node(null, null, value)
    else Node(bottomUp(depth - 1, 2 * value - 1), bottomUp(depth - 1, 2 * value), value)

fun check(n: Node): Int {
    val l = n.left
    val r = n.right
    return if (l == null || r == null) 1 + (n.value and 1) else 1 + check(l) + check(r) + (n.value and 1)
}

fun trees(round: Int, sum: Checksum): Long {
    val minDepth = 4
    val maxDepth = TREE_DEPTH
    val longLived = bottomUp(maxDepth, round)
    var nodes = 0L
    var depth = minDepth
    while (depth <= maxDepth) {
        val iterations = 1 shl (maxDepth - depth + minDepth - 3)
        var c = 0
        for (i in 1..iterations) {
            c += check(bottomUp(depth, i + round))
        }
        nodes += iterations.toLong() * ((1L shl (depth + 1)) - 1)
        sum.add(c)
        depth += 2
    }
    sum.add(check(longLived))
    return nodes + (1L shl (maxDepth + 1)) - 1
}

// -------------------------------------------------------------------- map

fun mapChurn(round: Int, sum: Checksum): Int {
    val rng = Lcg(1234 + round)
    val window = 2000
    val steps = 25_000
    val map = HashMap<String, List<Int>>()
    val keys = ArrayDeque<String>()
    var hits = 0
    for (i in 0 until steps) {
        val key = "key-${rng.below(5000)}-${i % 7}"
        val existing = map[key]
        if (existing != null) {
            hits++
            sum.add(existing.size)
            map[key] = existing.map { it + 1 } + i
        } else {
            map[key] = List(1 + rng.below(24)) { it * i }
            keys.addLast(key)
        }
        if (keys.size > window) {
            val old = keys.removeFirst()
            val removed = map.remove(old)
            if (removed != null) sum.add(removed.sum())
        }
    }
    sum.add(map.size)
    sum.add(map.values.sumOf { it.size })
    return hits
}

// ---------------------------------------------------------------- strings

fun strings(round: Int, sum: Checksum): Int {
    val rng = Lcg(99 + round)
    var totalLen = 0
    repeat(250) { line ->
        val sb = StringBuilder()
        repeat(100) { w ->
            val n = rng.below(100000)
            sb.append("w").append(n).append(if (w % 10 == 9) ';' else ' ')
        }
        val text = sb.toString()
        val words = text.split(' ', ';').filter { it.isNotEmpty() }
        val joined = words.reversed().joinToString(",") { it.uppercase() }
        val template = "line $line has ${words.size} words, first=${words.first()} last=${words.last()}"
        val replaced = joined.replace("W1", "<one>").substring(0, minOf(200, joined.length))
        totalLen += text.length + joined.length + template.length
        sum.add(template)
        sum.add(replaced)
        sum.add(words.maxOf { it.length })
    }
    return totalLen
}

// ------------------------------------------------------------- exceptions

class Payload(val items: IntArray, val tag: String)

class WorkFailed(val payload: Payload, val depth: Int) : RuntimeException("failed at depth $depth: ${payload.tag}")

fun failingWork(i: Int, depth: Int): Int {
    if (depth == 0) {
        if (i % 3 != 0) throw WorkFailed(Payload(IntArray(16) { it * i }, "item $i"), i % 5)
        if (i % 11 == 0) throw IllegalArgumentException("bad item $i")
        return i
    }
    return failingWork(i, depth - 1) + 1
}

fun exceptions(round: Int, sum: Checksum): Int {
    var caught = 0
    for (i in 0 until 100_000) {
        try {
            sum.add(failingWork(i + round, i % 4))
        } catch (e: WorkFailed) {
            caught++
            sum.add(e.payload.items[15])
            if (i % 1000 == 0) sum.add(e.message ?: "")
        } catch (e: IllegalArgumentException) {
            caught++
            sum.add(e.message!!.length)
        } finally {
            if (i % 25_000 == 0) sum.add(i)
        }
    }
    return caught
}

// ---------------------------------------------------------------- objects

interface Scorer {
    fun score(p: Person): Int
}

data class Person(val name: String, val age: Int, val city: String, val tags: List<String>)

class AgeScorer(private val weight: Int) : Scorer {
    override fun score(p: Person) = p.age * weight
}

class NameScorer : Scorer {
    override fun score(p: Person) = p.name.length * 7 + p.tags.size
}

fun objects(round: Int, sum: Checksum): Int {
    val rng = Lcg(7 + round)
    val cities = listOf("Oslo", "Lima", "Pune", "Kyiv", "Reno", "Bonn")
    val scorers: List<Scorer> = listOf(AgeScorer(3), NameScorer(), object : Scorer {
        override fun score(p: Person) = p.city.hashCode() and 0xff
    })
    var total = 0
    repeat(4) { batch ->
        val people = List(2500) { i ->
            Person(
                name = "p${rng.below(100000)}",
                age = 18 + rng.below(60),
                city = cities[rng.below(cities.size)],
                tags = List(rng.below(4)) { t -> "t$t" },
            )
        }
        val sorted = people.sortedWith(compareBy<Person> { it.city }.thenByDescending { it.age }.thenBy { it.name })
        val byCity = sorted.groupBy { it.city }.mapValues { (_, ps) -> ps.sumOf { it.age } }
        val older = people.filter { it.age > 60 }.map { it.copy(age = it.age + 1) }
        val boxed: Array<Any?> = Array(2000) { i -> if (i % 3 == 0) i else if (i % 3 == 1) "s$i" else people[i] }
        var b = 0
        for (x in boxed) {
            b += when (x) {
                is Int -> x
                is String -> x.length
                is Person -> x.age
                else -> 0
            }
        }
        val counter = { p: Person -> scorers.sumOf { it.score(p) } }
        total += sorted.take(100).sumOf(counter) + older.size + b
        sum.add(sorted.first().name)
        sum.add(byCity.entries.sortedBy { it.key }.joinToString { "${it.key}:${it.value}" })
        sum.add(batch + b)
    }
    return total
}

// ------------------------------------------------------------------- main

fun main() {
    println("alloc: WORK=$WORK TREE_DEPTH=$TREE_DEPTH")
    val total = Checksum()
    for (round in 0 until WORK) {
        val t = Checksum()
        val nodes = trees(round, t)
        val m = Checksum()
        val hits = mapChurn(round, m)
        val s = Checksum()
        val len = strings(round, s)
        val e = Checksum()
        val caught = exceptions(round, e)
        val o = Checksum()
        val score = objects(round, o)
        println("round $round: trees nodes=$nodes sum=${t.hex()} | map hits=$hits sum=${m.hex()} | " +
            "strings len=$len sum=${s.hex()} | exceptions caught=$caught sum=${e.hex()} | objects score=$score sum=${o.hex()}")
        for (c in listOf(t, m, s, e, o)) total.add(c.value)
    }
    println("total ${total.hex()}")
}
