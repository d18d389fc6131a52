package io.genos.composer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    private static List<String> texts(String s) {
        return Tokenizer.tokenize(s).stream().map(Token::text).toList();
    }

    @Test
    void splitsDigitsFromTheUnitsGluedToThem() {
        List<Token> t = Tokenizer.tokenize("8GB 4096M 3h");
        assertThat(t).extracting(Token::text).containsExactly("8", "gb", "4096", "m", "3", "h");
        assertThat(t.getFirst().type()).isEqualTo(Token.Type.NUMBER);
        assertThat(t.getFirst().value()).isEqualTo(8.0);
    }

    @Test
    void keepsVersionsAsNumbersWithTheirText() {
        Token v = Tokenizer.tokenize("ubuntu 22.04").get(1);
        assertThat(v.type()).isEqualTo(Token.Type.NUMBER);
        assertThat(v.text()).isEqualTo("22.04");
        assertThat(v.value()).isEqualTo(22.04);
    }

    @Test
    void recognisesHostsResolutionsAndLanguageNames() {
        List<Token> t = Tokenizer.tokenize("reach https://github.com/x and pypi.org at 1920 x 1080 with C++, C# and node.js");
        assertThat(t).filteredOn(x -> x.type() == Token.Type.HOST).extracting(Token::text)
                .containsExactly("github.com", "pypi.org");
        assertThat(t).filteredOn(x -> x.type() == Token.Type.RESOLUTION).hasSize(1);
        assertThat(t).extracting(Token::text).contains("c++", "c#", "node.js");
    }

    @Test
    void splitsHyphenatedWordsUnlessTheWholeIsKnown() {
        assertThat(texts("quad-core docker-in-docker")).containsExactly("quad", "core", "docker", "in", "docker");
        assertThat(Tokenizer.tokenize("firefox-esr quad-core", w -> w.equals("firefox-esr")))
                .extracting(Token::text).containsExactly("firefox-esr", "quad", "core");
    }

    @Test
    void lowerCasesButKeepsTheRawText() {
        Token t = Tokenizer.tokenize("Debian").getFirst();
        assertThat(t.text()).isEqualTo("debian");
        assertThat(t.raw).isEqualTo("Debian");
    }

    @Test
    void normalisesTypographicPunctuation() {
        assertThat(texts("I\u2019m idle \u2014 1920\u00d71080")).containsExactly("i'm", "idle", "-", "1920\u00d71080".replace('\u00d7', 'x'));
    }
}
