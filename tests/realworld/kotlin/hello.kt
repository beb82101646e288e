// A small Kotlin/Wasm (wasm-wasi) program for Weft's GC work: classes, an
// interface, a sealed hierarchy with `when`, a data class, string templates,
// lists and maps, lambdas, and an exception thrown and caught. Its output
// is deterministic; tests/realworld/kotlin/hello.expected is what Wasmtime
// printed for it when run with the arguments `one 'two words' ünï`
// (tests/realworld/kotlin-build.sh builds it and, with --check, checks it).
//
// The wasm-wasi standard library does not pass the command line to
// `main(args)` (args is always empty, and it imports no `args_get`), so the
// program reads it itself through its own `@WasmImport`s of WASI's
// `args_sizes_get`/`args_get` and scoped linear-memory buffers.

@file:OptIn(UnsafeWasmMemoryApi::class, ExperimentalWasmInterop::class)

import kotlin.wasm.ExperimentalWasmInterop
import kotlin.wasm.WasmImport
import kotlin.wasm.unsafe.Pointer
import kotlin.wasm.unsafe.UnsafeWasmMemoryApi
import kotlin.wasm.unsafe.withScopedMemoryAllocator

@WasmImport("wasi_snapshot_preview1", "args_sizes_get")
private external fun wasiArgsSizesGet(argcOut: Int, bufSizeOut: Int): Int

@WasmImport("wasi_snapshot_preview1", "args_get")
private external fun wasiArgsGet(argv: Int, buf: Int): Int

/** The WASI command line (program name first), read from the host. */
fun wasiArgs(): List<String> = withScopedMemoryAllocator { alloc ->
    val sizes = alloc.allocate(8)
    val errno = wasiArgsSizesGet(sizes.address.toInt(), (sizes + 4).address.toInt())
    check(errno == 0) { "args_sizes_get failed: $errno" }
    val argc = sizes.loadInt()
    val bufSize = (sizes + 4).loadInt()
    val argv = alloc.allocate(maxOf(argc, 1) * 4)
    val buf = alloc.allocate(maxOf(bufSize, 1))
    check(wasiArgsGet(argv.address.toInt(), buf.address.toInt()) == 0)
    List(argc) { i ->
        val start = Pointer((argv + 4 * i).loadInt().toUInt())
        var len = 0
        while ((start + len).loadByte() != 0.toByte()) len++
        ByteArray(len) { (start + it).loadByte() }.decodeToString()
    }
}

interface Named {
    val name: String
    fun describe(): String = "I am $name"
}

sealed class Shape : Named {
    abstract fun area(): Double
}

class Circle(val r: Double) : Shape() {
    override val name get() = "circle"
    override fun area() = 3.141592653589793 * r * r
}

class Rect(val w: Double, val h: Double) : Shape() {
    override val name get() = if (w == h) "square" else "rectangle"
    override fun area() = w * h
}

object Dot : Shape() {
    override val name = "dot"
    override fun area() = 0.0
}

data class Point(val x: Int, val y: Int) {
    operator fun plus(o: Point) = Point(x + o.x, y + o.y)
}

class ParseError(val input: String, msg: String) : Exception(msg)

fun parsePoint(s: String): Point {
    val parts = s.split(",")
    if (parts.size != 2) throw ParseError(s, "expected two numbers, got ${parts.size}")
    val x = parts[0].trim().toIntOrNull() ?: throw ParseError(s, "bad x '${parts[0]}'")
    val y = parts[1].trim().toIntOrNull() ?: throw ParseError(s, "bad y '${parts[1]}'")
    return Point(x, y)
}

fun classify(n: Int): String = when {
    n < 0 -> "negative"
    n == 0 -> "zero"
    n % 2 == 0 -> "even"
    else -> "odd"
}

fun kind(s: Shape): String = when (s) {
    is Circle -> "round (r=${s.r})"
    is Rect -> "angular ${s.w}x${s.h}"
    Dot -> "pointlike"
}

fun fib(n: Int): Long {
    var a = 0L
    var b = 1L
    repeat(n) {
        val t = a + b
        a = b
        b = t
    }
    return a
}

fun main(args: Array<String>) {
    println("Hello from Kotlin/Wasm on WASI!")
    println("main's args: ${args.size}")
    val argv = wasiArgs()
    println("WASI args after the program name: ${argv.drop(1).joinToString(prefix = "[", postfix = "]") { "'$it'" }}")

    val shapes: List<Shape> = listOf(Circle(1.5), Rect(2.0, 3.0), Rect(4.0, 4.0), Dot)
    for (s in shapes) {
        val area = (s.area() * 1000).toLong() / 1000.0
        println("${s.describe()}: ${kind(s)}, area ~ $area")
    }
    val total = shapes.sumOf { it.area() }
    println("total area: ${(total * 100).toLong()} / 100")

    val counts = mutableMapOf<String, Int>()
    for (i in -3..10) {
        val c = classify(i)
        counts[c] = (counts[c] ?: 0) + 1
    }
    println("classes: " + counts.entries.sortedBy { it.key }.joinToString { "${it.key}=${it.value}" })

    val words = "the quick brown fox jumps over the lazy dog the end".split(" ")
    val freq = words.groupingBy { it }.eachCount().filter { it.value > 1 }
    println("repeated words: $freq")
    val byLen = words.distinct().groupBy { it.length }.toList().sortedBy { it.first }.toMap()
    println("by length: $byLen")

    val pts = listOf("1,2", "3, 4", "-5,6").map(::parsePoint)
    val sum = pts.reduce { a, b -> a + b }
    println("points: $pts sum=$sum")
    println("copy: ${sum.copy(y = 0)} equal=${Point(1, 2) == pts[0]} hash=${Point(1, 2).hashCode()}")

    for (bad in listOf("7", "x,1", "2,y")) {
        try {
            val p = parsePoint(bad)
            println("unexpected $p")
        } catch (e: ParseError) {
            println("caught ParseError for '${e.input}': ${e.message}")
        } finally {
            println("finally after '$bad'")
        }
    }
    val r = runCatching { listOf(1, 2, 3)[5] }
    println("runCatching: ${r.exceptionOrNull()?.let { it::class.simpleName }}")
    try {
        check(fib(10) == 55L) { "fib is wrong" }
        error("deliberate")
    } catch (e: IllegalStateException) {
        println("caught IllegalStateException: ${e.message}")
    }

    val fibs = (0..90 step 10).map { "fib($it)=${fib(it)}" }
    println(fibs.joinToString(" "))
    val sb = StringBuilder()
    for (c in 'a'..'z') if (c !in "aeiou") sb.append(c.uppercaseChar())
    println("consonants: $sb (${sb.length})")
    println("done")
}
