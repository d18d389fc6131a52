package io.genos.composer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NumberWordsTest {

    @ParameterizedTest(name = "{0} = {1} ({2} tokens)")
    @CsvSource(delimiter = '|', value = {
            "16 | 16 | 1",
            "1.5 | 1.5 | 1",
            "two | 2 | 1",
            "twenty four | 24 | 2",
            "two hundred | 200 | 2",
            "a couple of | 2 | 3",
            "couple | 2 | 1",
            "a few | 3 | 2",
            "half a | 0.5 | 2",
            "a quarter | 0.25 | 2",
            "one and a half | 1.5 | 4",
            "2 and a half | 2.5 | 4",
            "quad | 4 | 1",
            "dual | 2 | 1",
            "a dozen | 12 | 2",
            "half a dozen | 6 | 3"})
    void readsNumbersAsPeopleWriteThem(String words, double value, int length) {
        NumberWords.Read r = NumberWords.read(Tokenizer.tokenize(words), 0);
        assertThat(r).isNotNull();
        assertThat(r.value()).isEqualTo(value);
        assertThat(r.length()).isEqualTo(length);
    }

    @Test
    void anArticleIsAOneOnlyWhenNoNumberFollows() {
        assertThat(NumberWords.read(Tokenizer.tokenize("a gpu"), 0).article()).isTrue();
        assertThat(NumberWords.read(Tokenizer.tokenize("a 50 GB disk"), 0)).isNull();
        assertThat(NumberWords.read(Tokenizer.tokenize("a two hour session"), 0)).isNull();
    }

    @Test
    void ordinaryWordsAreNotNumbers() {
        assertThat(NumberWords.read(Tokenizer.tokenize("debian"), 0)).isNull();
    }
}
