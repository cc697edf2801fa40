package dev.multiverse.tokenizer;

import java.util.List;
import java.util.Random;

/**
 * A test corpus of at least 200 KB, built deterministically from fragments written for the
 * tokenizer's hard cases: contractions in every case, code with indentation, runs of spaces, tabs
 * and newlines (also CRLF), CJK, Arabic and Hebrew, emoji with ZWJ and skin tones, digits of many
 * scripts, the Multiverse tags and ChatML tokens inside text, and decomposed text that NFC composes.
 */
final class Corpus {
    private Corpus() {}

    static final List<String> FRAGMENTS = List.of(
            // English prose, contractions in various cases
            "It's a truth universally acknowledged that we'll never know what they'd've said.",
            "I'M SURE YOU'RE RIGHT, BUT WE'VE GOT TO GO; SHE'LL WAIT AND HE'D BETTER NOT.",
            "You're, you'Re, YOU'RE, you'rE; I've, I'VE, i'Ve; he'll, HE'LL, he'Ll; don't, DON'T, DoN'T.",
            "'s 'S 't 'T 're 'Re 'rE 'RE 've 'VE 'm 'M 'll 'LL 'lL 'd 'D 'x 'sa 'tis",
            "rock 'n' roll, the '90s, the dog's bone, the dogs' bones, O'Brien's, ''quoted''",
            "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs!",
            "Let's think in parallel. First, the base case; second, the induction step.",
            "Mr. Smith (aged 42) paid $1,234.56 for 3 items — a 15% discount — on 2024-03-15 at 09:30.",
            // numbers
            "3.14159265358979 2.718281828 6.02214076e23 1,000,000 0x1F600 0b1011 1e-9 007 -42 +17",
            "Fullwidth １２３４５ Arabic-Indic ٠١٢٣٤٥٦٧٨٩ Devanagari ०१२३ Roman Ⅻ ⅷ fractions ½ ¾ ⅓ superscripts x² y³",
            "Answer: 12345678901234567890 and 9999 + 1 = 10000; π ≈ 3.14; √2 ≈ 1.41421",
            // code
            "public static int gcd(int a, int b) {\n    while (b != 0) {\n        int t = a % b;\n        a = b;\n        b = t;\n    }\n    return a;\n}\n",
            "def fib(n):\n\tif n < 2:\n\t\treturn n\n\treturn fib(n - 1) + fib(n - 2)\n\n\nprint([fib(i) for i in range(10)])\n",
            "for (let i = 0; i < xs.length; ++i) {\r\n  console.log(`item ${i}: ${xs[i]}`);\r\n}\r\n",
            "    \n        \n\t\n  \t  \n",
            "if x:\n    pass    \n    \n\n    # comment with trailing spaces   \n    y = {'a': 1, \"b\": [2, 3]}\n",
            "SELECT name, COUNT(*) AS n FROM users WHERE age >= 18 GROUP BY name HAVING n > 1;",
            "{\"key\": \"value\", \"list\": [1, 2.5, true, null], \"nested\": {\"a\": {}}}",
            "<div class=\"x\"><p>Hello &amp; goodbye</p></div> <br/> <!-- comment -->",
            "\\frac{a}{b} + \\sum_{i=1}^{n} x_i^2 = \\int_0^\\infty e^{-x} dx",
            "https://example.com/path?query=1&other=two#frag user@example.org C:\\Users\\me\\file.txt",
            "a     b      c\t\td\t \te  \n\n\n   f\n \n \n g     ",
            "trailing spaces    ",
            "\n\n\n\n",
            "!!! ??? ... --- *** ### @@@ ((( ))) [[[ ]]] {{{ }}} ||| ~~~ ``` ''' \"\"\" ;;; ::: ,,,",
            " !x ?y .z ,w ;v :u \"t 's ' s",
            // CJK
            "你好，世界！今天天气很好，我们去公园散步吧。这是一个测试句子，包含标点符号。",
            "日本語のテキストです。ひらがな、カタカナ、漢字が混ざっています。東京タワーは333メートル。",
            "한국어 문장입니다. 안녕하세요! 오늘은 2024년 3월 15일입니다.",
            "中文English混合text和数字123以及emoji😀在一起",
            // right-to-left
            "مرحبا بالعالم! هذه جملة عربية للاختبار، وفيها أرقام ١٢٣ وعلامات ترقيم؟",
            "שָׁלוֹם עוֹלָם! זהו משפט בעברית עם ניקוד ובלי ניקוד, ומספרים 123.",
            "English then עברית then العربية then English again.",
            // emoji
            "👨‍👩‍👧‍👦 family, 👍🏽 thumbs up, 🏳️‍🌈 flag, 🇯🇵🇫🇷 flags, 1️⃣ keycap, 👩🏿‍💻 coder, ❤️‍🔥 heart",
            "😀😃😄😁😆😅😂🤣🥲☺️😊😇 🙂🙃😉😌😍🥰😘😗😙😚😋😛",
            "emoji at word end😀 and start😀word and between😀😀😀 spaces 😀 😀  😀",
            // tags and ChatML inside text
            "<Think>\nLet's think in parallel.\n<Parallel>\n<Goal>\n<Outline>\n1: compute the sum\n</Outline>\n</Goal>\n",
            "<Path>\n1: The sum is 42.\n</Path>\n<Conclusion>\nSo 42.\n</Conclusion>\n</Parallel>\n</Think>\n\nAnswer: 42",
            "<|im_start|>system\nYou are Qwen.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n",
            "text<Think>glued</Think>text <|endoftext|> <|im_end|><|im_start|> <tool_call>{}</tool_call> <|fim_prefix|>",
            "near misses: <Thin <think> <THINK> </Think <|im_start <|im_start|> < Path> <Path >< Path>",
            // decomposed text that NFC composes
            "Cafe\u0301 re\u0301sume\u0301 nai\u0308ve A\u030Angstro\u0308m \u212Bngstr\u00F6m Ti\u00EA\u0301ng Vie\u0323\u0302t",
            "\u1100\u1161\u11A8 \u1112\u1161\u11AB\u1100\u1173\u11AF o\u0308\u0304 q\u0307\u0323 \u0958 \u2126 \u0344 e\u0301\u0301",
            "combining first: \u0301abc \u0300\u0301 and in words: x\u0301y\u0302z\u0303",
            "ﬁ ligature, ＡＢＣ fullwidth, ㈱ squared, ½ — NFC keeps these; only NFKC would change them",
            // other scripts and white space
            "Привет, мир! Ελληνικά κείμενα. Ἀρχὴ ἥμισυ παντός. Ünïcödé ſtraße ﬅ",
            "हिन्दी पाठ, বাংলা লেখা, ไทยภาษา, ქართული, Հայերեն, ᚠᚢᚦ",
            "no\u00A0break\u3000ideographic\u2009thin\u2028line\u2029para\u0085nel\u000Bvt\u000Cff end",
            "zero\u200Bwidth\u200Cnon\u200Djoiner\uFEFFbom\u00ADsoft",
            "math 𝐀𝐁𝐂 𝑥𝑦𝑧 𝟙𝟚𝟛 and ancient 𐌰𐌱𐌲 𓀀𓀁");

    /** Fragments joined by random separators, in paragraphs, until the text has {@code minChars} chars. */
    static String generate(long seed, int minChars) {
        Random random = new Random(seed);
        String[] separators = {" ", " ", "\n", "", "  ", "\t", "\r\n", " \n", "\n\n  "};
        StringBuilder text = new StringBuilder(minChars + 1000);
        while (text.length() < minChars) {
            int fragments = 1 + random.nextInt(6);
            for (int i = 0; i < fragments; i++) {
                text.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                text.append(separators[random.nextInt(separators.length)]);
            }
            text.append("\n\n");
        }
        return text.toString();
    }
}
