/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.resilientredis.cache;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.cache.support.NullValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ImmutableValues}.
 *
 * @author resilient-redis contributors
 */
class ImmutableValuesTests {

	@Test
	void immutableTypesOfTheJdkAreImmutable() {
		assertThat(List.of("text", 1, 2L, 3.0, true, 'c', new BigDecimal("1.5"), UUID.randomUUID(), Instant.now(),
				LocalDate.now(), TimeUnit.SECONDS, NullValue.INSTANCE))
			.allMatch(ImmutableValues::isImmutable);
	}

	@Test
	void mutableTypesAreNot() {
		assertThat(List.of(new StringBuilder("text"), new AtomicLong(), new ArrayList<>(), new byte[1], new Object()))
			.noneMatch(ImmutableValues::isImmutable);
	}

	@Test
	void aSubclassOfAnImmutableTypeIsNot() {
		assertThat(ImmutableValues.isImmutable(new BigDecimal("1") {
		})).isFalse();
	}

	@Test
	void aRecordOfImmutableValuesIsImmutable() {
		assertThat(ImmutableValues.isImmutable(new Product("a", 3, null, new Price(BigDecimal.ONE, "EUR")))).isTrue();
	}

	@Test
	void aRecordThatHoldsAMutableValueIsNot() {
		assertThat(ImmutableValues.isImmutable(new Tagged("a", new ArrayList<>(List.of("x"))))).isFalse();
		assertThat(ImmutableValues.isImmutable(new Product("a", 3, new StringBuilder(), null))).isFalse();
	}

	record Price(BigDecimal amount, String currency) {

	}

	record Product(String name, long stock, @Nullable Object note, @Nullable Price price) {

	}

	record Tagged(String name, List<String> tags) {

	}

}
