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

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.NullValue;

/**
 * The values that no caller can change: a near hit may answer the instance it decoded
 * once instead of a new copy. Only exact types of the JDK known to be immutable, so that
 * a subclass that adds state is never taken for one, and records whose components all
 * hold such values (a record's fields are final, and reflection cannot change them).
 *
 * @author resilient-redis contributors
 */
final class ImmutableValues {

	private static final Set<Class<?>> TYPES = Set.of(String.class, Boolean.class, Character.class, Byte.class,
			Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class, BigDecimal.class,
			UUID.class, NullValue.class);

	private static final String JAVA_TIME = "java.time";

	private static final int MAXIMUM_DEPTH = 4;

	private static final Object NOT_READ = new Object();

	/**
	 * The fields of a record's components, read directly rather than through accessors
	 * that may run code of their own.
	 */
	private static final ClassValue<Field @Nullable []> RECORD_FIELDS = new ClassValue<>() {

		@Override
		protected Field @Nullable [] computeValue(Class<?> type) {
			RecordComponent[] components = type.getRecordComponents();
			if (components == null) {
				return null;
			}
			try {
				Field[] fields = new Field[components.length];
				for (int i = 0; i < components.length; i++) {
					fields[i] = type.getDeclaredField(components[i].getName());
					fields[i].setAccessible(true);
				}
				return fields;
			}
			catch (NoSuchFieldException | RuntimeException ex) {
				// Not accessible (a module that does not open it): not known to be
				// immutable.
				return null;
			}
		}

	};

	private ImmutableValues() {
	}

	/**
	 * Return whether the value is of a type whose instances no caller can change:
	 * {@code String}, the boxed primitives, {@code BigInteger}, {@code BigDecimal},
	 * {@code UUID}, the types of {@code java.time}, enums, the cache's own null value,
	 * and records whose components hold only such values or {@code null}.
	 * @param value the decoded value
	 * @return whether it is immutable
	 */
	static boolean isImmutable(@Nullable Object value) {
		return value != null && isImmutable(value, 0);
	}

	private static boolean isImmutable(Object value, int depth) {
		Class<?> type = value.getClass();
		if (TYPES.contains(type) || value instanceof Enum<?> || JAVA_TIME.equals(type.getPackageName())) {
			return true;
		}
		Field[] fields = type.isRecord() ? RECORD_FIELDS.get(type) : null;
		if (fields == null || depth >= MAXIMUM_DEPTH) {
			return false;
		}
		for (Field field : fields) {
			if (field.getType().isPrimitive()) {
				continue;
			}
			Object component = componentValue(field, value);
			if (component == NOT_READ || (component != null && !isImmutable(component, depth + 1))) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable Object componentValue(Field field, Object value) {
		try {
			return field.get(value);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			return NOT_READ;
		}
	}

}
