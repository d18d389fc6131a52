package io.genos.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsWhatPeopleWriteAndIso() {
        assertThat(Durations.toIso("2 hours")).isEqualTo("PT2H");
        assertThat(Durations.toIso("90 minutes")).isEqualTo("PT1H30M");
        assertThat(Durations.toIso("1 day")).isEqualTo("PT24H");
        assertThat(Durations.toIso("1h30m")).isEqualTo("PT1H30M");
        assertThat(Durations.toIso("1 hour and 15 minutes")).isEqualTo("PT1H15M");
        assertThat(Durations.toIso("an hour and a half")).isEqualTo("PT1H30M");
        assertThat(Durations.toIso("half an hour")).isEqualTo("PT30M");
        assertThat(Durations.toIso("1.5 hours")).isEqualTo("PT1H30M");
        assertThat(Durations.toIso("two days")).isEqualTo("PT48H");
        assertThat(Durations.toIso("PT45M")).isEqualTo("PT45M");
        assertThat(Durations.toIso(" ")).isNull();
        assertThat(Durations.toIso("none")).isNull();
    }

    @Test
    void writesWords() {
        assertThat(Durations.words("PT2H")).isEqualTo("2 hours");
        assertThat(Durations.words("PT1H30M")).isEqualTo("1 hour 30 minutes");
        assertThat(Durations.words("PT24H")).isEqualTo("1 day");
        assertThat(Durations.words(Duration.ofMinutes(1))).isEqualTo("1 minute");
        assertThat(Durations.words("garbage")).as("unreadable text is shown as it is").isEqualTo("garbage");
    }

    @Test
    void refusesWhatItCannotReadWithAnExample() {
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("2 hours");
        assertThatThrownBy(() -> Durations.parse("2 parsecs")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("0 minutes")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Durations.parse("400 days")).hasMessageContaining("longer than a year");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999 days")).isInstanceOf(IllegalArgumentException.class);
    }
}
