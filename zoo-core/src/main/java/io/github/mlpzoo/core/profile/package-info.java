/**
 * Parameter and multiply-accumulate (MAC) counting in the fvcore convention papers call "FLOPs":
 * {@link io.github.mlpzoo.core.profile.ModelProfile} walks a block tree, and blocks that multiply on their own
 * declare it through {@link io.github.mlpzoo.core.profile.MacCounter}.
 */
package io.github.mlpzoo.core.profile;
