package org.tga4j.cli;

import org.tga4j.runtime.model.WeightPrecision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --precision}, shared by the commands that load a model for inference. */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "float32", converter = Converter.class,
            description = "Weights of the language model's projections: float32, or float16 (half the memory — a 7B"
                    + " LLaVA's language model in ~14 GB instead of ~27 GB — and faster single-request decoding on"
                    + " CPU; inference only); default: ${DEFAULT-VALUE}.")
    WeightPrecision precision;

    /** Reads the option with {@link WeightPrecision#parse}. */
    static final class Converter implements ITypeConverter<WeightPrecision> {
        @Override
        public WeightPrecision convert(String value) {
            return WeightPrecision.parse(value);
        }
    }
}
