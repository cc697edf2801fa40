package dev.multiverse.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random tensor sets for property tests: every dtype, ranks 0 to 3, dimensions 0 to 5, float values
 * drawn from raw bit patterns (so NaN payloads, infinities, subnormals and ties all occur) and from
 * ordinary magnitudes.
 */
final class RandomTensors {
    private RandomTensors() {
    }

    /** One tensor as handed to the writer: float values for float dtypes, raw bytes otherwise. */
    record Spec(String name, DType dtype, long[] shape, float[] floats, byte[] raw) {
        long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        void addTo(SafeTensorsWriter writer) {
            if (floats != null) {
                writer.add(name, dtype, shape, floats);
            } else {
                writer.add(name, dtype, shape, raw);
            }
        }

        @Override
        public String toString() {
            return name + ":" + dtype + java.util.Arrays.toString(shape);
        }
    }

    static List<Spec> randomSet(Random r, int maxTensors) {
        int count = r.nextInt(maxTensors + 1);
        List<Spec> specs = new ArrayList<>();
        DType[] dtypes = DType.values();
        for (int i = 0; i < count; i++) {
            DType dtype = r.nextInt(3) == 0 ? dtypes[r.nextInt(dtypes.length)]
                    : new DType[] {DType.F32, DType.F16, DType.BF16}[r.nextInt(3)];
            long[] shape = new long[r.nextInt(4)];
            int elements = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(5);
                elements *= (int) shape[d];
            }
            String name = "model.layers." + i + (r.nextBoolean() ? ".mlp.w" : ".ñ/é\"\\x");
            if (dtype.isFloatReadable() && r.nextInt(4) != 0) {
                float[] v = new float[elements];
                for (int k = 0; k < elements; k++) {
                    v[k] = randomFloat(r);
                }
                specs.add(new Spec(name, dtype, shape, v, null));
            } else {
                byte[] raw = new byte[elements * dtype.byteSize()];
                r.nextBytes(raw);
                specs.add(new Spec(name, dtype, shape, null, raw));
            }
        }
        return specs;
    }

    static float randomFloat(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Float.intBitsToFloat(r.nextInt());                     // any pattern, NaNs included
            case 1 -> (float) r.nextGaussian();                              // typical weights
            case 2 -> (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(60) - 30));
            default -> Float.intBitsToFloat((r.nextInt() & 0xFFFF0000) | (r.nextBoolean() ? 0x8000 : 0x7FFF));
        };
    }

    static SafeTensorsWriter writer(List<Spec> specs) {
        SafeTensorsWriter w = new SafeTensorsWriter();
        for (Spec s : specs) {
            s.addTo(w);
        }
        return w;
    }
}
