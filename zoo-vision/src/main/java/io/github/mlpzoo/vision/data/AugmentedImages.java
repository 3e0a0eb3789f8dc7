package io.github.mlpzoo.vision.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

import java.util.Random;

/**
 * A slice of Fashion-MNIST as a dataset of normalized {@code (1, 28, 28)} images with their label, optionally
 * augmented on the fly as the usual small-image recipe does: a random crop of 28×28 out of the image zero-padded
 * by {@code pad} pixels (torchvision {@code RandomCrop(28, padding=pad)}; the padding is 0 in pixel space, i.e.
 * {@code -MEAN/STD} after normalization), then a horizontal flip with probability 1/2.
 *
 * <p>With mixup strength {@code α > 0} (Zhang et al., ICLR 2018; the Scaling-MLP recipe's {@code --mixup}) each
 * record is instead {@code λ·a + (1 − λ)·b} of its own augmented image a and the augmented image b of a partner drawn
 * uniformly from the slice, {@code λ ~ Beta(α, α)} drawn per record (timm's {@code mode="elem"}), and its label is
 * the soft target {@code λ·onehot(y_a) + (1 − λ)·onehot(y_b)} of shape {@code (10)} rather than the class index.
 */
final class AugmentedImages extends RandomAccessDataset {

    private static final int SIDE = FashionMnist.SIDE;

    private final byte[] pixels;
    private final int[] labels;
    private final int from;
    private final int size;
    private final int pad;
    private final float mixup;
    private final Random random;

    private AugmentedImages(Builder b) {
        super(b);
        pixels = b.pixels;
        labels = b.labels;
        from = b.from;
        size = b.size;
        pad = b.pad;
        mixup = b.mixup;
        random = new Random(b.seed);
    }

    /** Images {@code from .. from + size - 1}, augmented if {@code pad > 0} (random flips too) from {@code seed}. */
    static AugmentedImages of(byte[] pixels, int[] labels, int from, int size, int pad, long seed) {
        return of(pixels, labels, from, size, pad, 0f, seed);
    }

    /** As {@link #of(byte[], int[], int, int, int, long)}, with mixup of strength {@code mixup} (0 = none). */
    static AugmentedImages of(byte[] pixels, int[] labels, int from, int size, int pad, float mixup, long seed) {
        if (!(mixup >= 0f) || Float.isInfinite(mixup)) {
            throw new IllegalArgumentException("mixup strength must be a finite α >= 0; got " + mixup);
        }
        Builder b = new Builder();
        b.pixels = pixels;
        b.labels = labels;
        b.from = from;
        b.size = size;
        b.pad = pad;
        b.mixup = mixup;
        b.seed = seed;
        b.setSampling(1, false);
        return new AugmentedImages(b);
    }

    /** Image {@code index} of {@code pixels}, normalized, as a row-major float array of 784. */
    static float[] normalized(byte[] pixels, int index) {
        float[] out = new float[SIDE * SIDE];
        int base = index * SIDE * SIDE;
        for (int i = 0; i < out.length; i++) {
            out[i] = ((pixels[base + i] & 0xff) / 255f - FashionMnist.MEAN) / FashionMnist.STD;
        }
        return out;
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = from + Math.toIntExact(index);
        if (mixup > 0f) {
            return mixed(manager, i);
        }
        float[] img = view(i);
        NDList data = new NDList(manager.create(img, new Shape(1, SIDE, SIDE)));
        NDList label = new NDList(manager.create((float) labels[i]));
        return new Record(data, label);
    }

    /** Image {@code i} normalized, augmented when {@code pad > 0}. */
    private float[] view(int i) {
        float[] img = normalized(pixels, i);
        return pad > 0 ? augment(img) : img;
    }

    private synchronized Record mixed(NDManager manager, int i) {
        int j = from + random.nextInt(size);
        double lambda = beta(random, mixup);
        float l = (float) lambda;
        float[] a = view(i);
        float[] b = view(j);
        for (int p = 0; p < a.length; p++) {
            a[p] = l * a[p] + (1f - l) * b[p];
        }
        float[] target = new float[FashionMnist.CLASSES];
        target[labels[i]] += l;
        target[labels[j]] += 1f - l;
        return new Record(new NDList(manager.create(a, new Shape(1, SIDE, SIDE))),
                new NDList(manager.create(target)));
    }

    /** A draw of Beta(α, α) as X / (X + Y), X, Y ~ Gamma(α, 1). */
    static double beta(Random random, double alpha) {
        double x = gamma(random, alpha);
        double y = gamma(random, alpha);
        return x + y > 0 ? x / (x + y) : (random.nextBoolean() ? 1.0 : 0.0);
    }

    /** A draw of Gamma(α, 1) (Marsaglia and Tsang 2000; for α < 1 as Gamma(α + 1) · U^(1/α)). */
    private static double gamma(Random random, double alpha) {
        if (alpha < 1) {
            return gamma(random, alpha + 1) * Math.pow(random.nextDouble(), 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private synchronized float[] augment(float[] img) {
        int dy = random.nextInt(2 * pad + 1) - pad;
        int dx = random.nextInt(2 * pad + 1) - pad;
        boolean flip = random.nextBoolean();
        float fill = -FashionMnist.MEAN / FashionMnist.STD;
        float[] out = new float[img.length];
        for (int y = 0; y < SIDE; y++) {
            int sy = y + dy;
            for (int x = 0; x < SIDE; x++) {
                int sx = (flip ? SIDE - 1 - x : x) + dx;
                out[y * SIDE + x] = sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE ? img[sy * SIDE + sx] : fill;
            }
        }
        return out;
    }

    @Override
    protected long availableSize() {
        return size;
    }

    @Override
    public void prepare(Progress progress) {}

    static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {
        private byte[] pixels;
        private int[] labels;
        private int from;
        private int size;
        private int pad;
        private float mixup;
        private long seed;

        @Override
        protected Builder self() {
            return this;
        }
    }
}
