package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/** One tensor to be written: its stored type, shape, and an encoder that streams its bytes in chunks. */
abstract class TensorSource {
    private final TensorDType storedType;
    private final long[] shape;

    private TensorSource(TensorDType storedType, long[] shape) {
        this.storedType = storedType;
        this.shape = shape;
    }

    TensorDType storedType() {
        return storedType;
    }

    long[] shape() {
        return shape;
    }

    long byteLength() {
        return TensorInfo.numel(shape) * storedType.byteSize();
    }

    /** Streams the stored bytes: fills {@code buf} (cleared first), flips it, hands it to {@code sink}, repeats. */
    abstract void encode(ByteBuffer buf, Consumer<ByteBuffer> sink);

    static TensorSource of(HostTensor t, TensorDType floatType) {
        float[] data = t.data();
        return new TensorSource(floatType, t.shape()) {
            @Override
            void encode(ByteBuffer buf, Consumer<ByteBuffer> sink) {
                encodeFloats(data.length, i -> data[i], floatType, buf, sink);
            }
        };
    }

    static TensorSource of(String name, NDArray arr, TensorDType floatType) {
        DataType dt = arr.getDataType();
        TensorDType stored = SafeTensorsWriter.storedTypeOf(name, dt, floatType);
        long[] shape = arr.getShape().getShape();
        return new TensorSource(stored, shape) {
            @Override
            void encode(ByteBuffer buf, Consumer<ByteBuffer> sink) {
                ByteBuffer raw = arr.toByteBuffer().order(ByteOrder.nativeOrder());
                int n = Math.toIntExact(TensorInfo.numel(shape));
                if (dt == DataType.FLOAT32) {
                    encodeFloats(n, i -> raw.getFloat(i * 4), floatType, buf, sink);
                } else if (dt == DataType.FLOAT16) {
                    encodeFloats(n, i -> HalfFloats.f16ToFloat(raw.getShort(i * 2)), floatType, buf, sink);
                } else {
                    copyRaw(raw, stored.byteSize(), buf, sink);
                }
            }
        };
    }

    interface FloatAt {
        float get(int i);
    }

    private static void encodeFloats(int n, FloatAt src, TensorDType type, ByteBuffer buf, Consumer<ByteBuffer> sink) {
        buf.clear();
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < 4) {
                buf.flip();
                sink.accept(buf);
                buf.clear();
            }
            float f = src.get(i);
            switch (type) {
                case F32 -> buf.putFloat(f);
                case F16 -> buf.putShort(HalfFloats.floatToF16(f));
                case BF16 -> buf.putShort(HalfFloats.floatToBf16(f));
                default -> throw new IllegalStateException("not a float storage type: " + type);
            }
        }
        buf.flip();
        if (buf.hasRemaining()) {
            sink.accept(buf);
        }
    }

    /** Copies integer/boolean/f64 data, converting native to little-endian order element-wise if they differ. */
    private static void copyRaw(ByteBuffer raw, int elementSize, ByteBuffer buf, Consumer<ByteBuffer> sink) {
        boolean swap = ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && elementSize > 1;
        int len = raw.remaining();
        for (int pos = 0; pos < len; ) {
            buf.clear();
            int n = Math.min(buf.capacity(), len - pos) / elementSize * elementSize;
            if (swap) {
                for (int i = 0; i < n; i += elementSize) {
                    switch (elementSize) {
                        case 2 -> buf.putShort(raw.getShort(pos + i));
                        case 4 -> buf.putInt(raw.getInt(pos + i));
                        default -> buf.putLong(raw.getLong(pos + i));
                    }
                }
            } else {
                buf.put(raw.slice(pos, n));
            }
            buf.flip();
            sink.accept(buf);
            pos += n;
        }
    }
}
