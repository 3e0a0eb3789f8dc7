package io.github.mlpzoo.vision;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;
import io.github.mlpzoo.vision.gmlp.GMlp;
import io.github.mlpzoo.vision.gmlp.GMlpConfig;
import io.github.mlpzoo.vision.mixer.MlpMixer;
import io.github.mlpzoo.vision.mixer.MlpMixerConfig;
import io.github.mlpzoo.vision.poolformer.PoolFormer;
import io.github.mlpzoo.vision.poolformer.PoolFormerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The vision variants, registered with the zoo through {@code META-INF/services}:
 * <ul>
 *   <li>{@code mixer_s16}, {@code mixer_b16}, {@code mixer_l16}: MLP-Mixer as timm's {@code mixer_*_224}
 *       ({@link MlpMixerConfig});</li>
 *   <li>{@code gmlp_ti16}, {@code gmlp_s16}, {@code gmlp_b16}: gMLP as timm's {@code gmlp_*_224}
 *       ({@link GMlpConfig});</li>
 *   <li>{@code poolformer_s12}, {@code _s24}, {@code _s36}, {@code _m36}, {@code _m48}: PoolFormer as
 *       sail-sg/poolformer ({@link PoolFormerConfig}).</li>
 * </ul>
 * Every variant takes one float32 image {@code (B, C, H, W)}, 3×224×224 by default, and gives class logits.
 */
public final class VisionVariants implements VariantProvider {

    static final String MIXER_PAPER = "Tolstikhin et al., MLP-Mixer: An all-MLP Architecture for Vision, NeurIPS 2021";
    static final String GMLP_PAPER = "Liu et al., Pay Attention to MLPs, NeurIPS 2021";
    static final String POOLFORMER_PAPER = "Yu et al., MetaFormer Is Actually What You Need for Vision, CVPR 2022";
    static final String TIMM = "huggingface/pytorch-image-models (timm/models/mlp_mixer.py)";
    static final String POOLFORMER_REPO = "sail-sg/poolformer (models/poolformer.py)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        List<Variant<?>> out = new ArrayList<>();
        out.add(mixer("mixer_s16", MlpMixerConfig.s16(), "timm mixer_s16_224: 8 blocks of 512, 18.5M params"));
        out.add(mixer("mixer_b16", MlpMixerConfig.b16(), "timm mixer_b16_224: 12 blocks of 768, 59.9M params"));
        out.add(mixer("mixer_l16", MlpMixerConfig.l16(), "timm mixer_l16_224: 24 blocks of 1024, 208.2M params"));
        out.add(gmlp("gmlp_ti16", GMlpConfig.ti16(), "timm gmlp_ti16_224: 30 blocks of 128, 5.9M params"));
        out.add(gmlp("gmlp_s16", GMlpConfig.s16(), "timm gmlp_s16_224: 30 blocks of 256, 19.4M params"));
        out.add(gmlp("gmlp_b16", GMlpConfig.b16(), "timm gmlp_b16_224: 30 blocks of 512, 73.1M params"));
        out.add(poolformer("poolformer_s12", PoolFormerConfig::s12, "[2,2,6,2] x [64..512], 11.9M params"));
        out.add(poolformer("poolformer_s24", PoolFormerConfig::s24, "[4,4,12,4] x [64..512], 21.4M params"));
        out.add(poolformer("poolformer_s36", PoolFormerConfig::s36, "[6,6,18,6] x [64..512], 30.9M params"));
        out.add(poolformer("poolformer_m36", PoolFormerConfig::m36, "[6,6,18,6] x [96..768], 56.2M params"));
        out.add(poolformer("poolformer_m48", PoolFormerConfig::m48, "[8,8,24,8] x [96..768], 73.5M params"));
        return out;
    }

    private static DataDesc[] image(int channels, int size) {
        return new DataDesc[] {new DataDesc(new Shape(1, channels, size, size), DataType.FLOAT32, "image")};
    }

    static Variant<MlpMixerConfig> mixer(String name, MlpMixerConfig config, String summary) {
        return Variant.builder(name, config)
                .setDomain("vision")
                .setPaper(MIXER_PAPER)
                .setOfficialRepo(TIMM)
                .optSummary("MLP-Mixer " + summary)
                .setFactory(MlpMixer::of)
                .optKeyMap(MlpMixer::mixerKeyMap)
                .setInputs(c -> image(c.inChannels(), c.imageSize()))
                .build();
    }

    static Variant<GMlpConfig> gmlp(String name, GMlpConfig config, String summary) {
        return Variant.builder(name, config)
                .setDomain("vision")
                .setPaper(GMLP_PAPER)
                .setOfficialRepo(TIMM)
                .optSummary("gMLP " + summary)
                .setFactory(GMlp::of)
                .optKeyMap(GMlp::keyMap)
                .setInputs(c -> image(c.inChannels(), c.imageSize()))
                .build();
    }

    static Variant<PoolFormerConfig> poolformer(String name, Supplier<PoolFormerConfig> config, String summary) {
        return Variant.builder(name, config.get())
                .setDomain("vision")
                .setPaper(POOLFORMER_PAPER)
                .setOfficialRepo(POOLFORMER_REPO)
                .optSummary("PoolFormer " + name.substring(name.indexOf('_') + 1).toUpperCase(java.util.Locale.ROOT)
                        + ": " + summary + "; any input size")
                .setFactory(PoolFormer::of)
                .optKeyMap(PoolFormer::keyMap)
                .setInputs(c -> image(c.inChannels(), 224))
                .build();
    }
}
