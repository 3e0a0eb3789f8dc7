package io.github.mlpzoo.core.zoo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a config record component that acts only while training or when the parameters are first drawn (an
 * initialization scale, a regularization strength, a masking scheme), never on the parameters' shapes or on what a
 * trained model computes. Two configs that differ only in such components build models whose saved parameters load
 * into each other: {@link Configs#describeWeights} leaves them out, as it does every component named {@code *drop*}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface TrainingOnly {}
