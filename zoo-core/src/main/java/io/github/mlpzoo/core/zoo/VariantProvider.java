package io.github.mlpzoo.core.zoo;

import java.util.List;

/**
 * Service interface through which each domain module contributes its variants to the {@link Zoo}.
 * Implementations are listed in {@code META-INF/services/io.github.mlpzoo.core.zoo.VariantProvider}.
 */
public interface VariantProvider {

    /** The variants this module registers. */
    List<Variant<?>> variants();
}
