package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training configs as JSON and YAML files: same fields, stage defaults for the rest, unknown keys named. */
class TrainConfigFileTest {
    @TempDir Path tmp;

    @Test
    void yamlAndJsonGiveTheSameConfigWithStageDefaultsForTheRest() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("run.yaml"), """
                # stage-2 TGA with LoRA
                stage: 2
                model: models/llava
                data: data/instruct.json
                output: runs/s2
                method: tga
                learningRate: 2.0e-4
                alignLayerFirst: 2
                alignLayerLast: 3
                loraRank: 8
                loraAlpha: 16
                loraTargets: [q_proj, k_proj, v_proj, o_proj]
                """);
        Path json = Files.writeString(tmp.resolve("run.json"), """
                {"stage": 2, "model": "models/llava", "data": "data/instruct.json", "output": "runs/s2",
                 "method": "tga", "learningRate": 2.0e-4, "alignLayerFirst": 2, "alignLayerLast": 3,
                 "loraRank": 8, "loraAlpha": 16, "loraTargets": ["q_proj", "k_proj", "v_proj", "o_proj"]}
                """);
        TrainConfig fromYaml = TrainConfig.read(yaml);
        assertEquals(TrainConfig.read(json), fromYaml);
        assertEquals(2e-4, fromYaml.learningRate());
        assertEquals(TrainConfig.defaults(2).batchSize(), fromYaml.batchSize(), "unset fields take the stage-2 defaults");
        LoraSettings lora = fromYaml.lora();
        assertEquals(8, lora.rank());
        assertEquals(2.0, lora.scale());
        assertEquals(List.of("q_proj", "k_proj", "v_proj", "o_proj"), lora.targets());
        assertEquals(fromYaml, TrainConfig.fromJson(fromYaml.toJson()), "the saved JSON reads back equal");
        assertEquals(4, fromYaml.withOverrides(Map.of("loraRank", 4)).lora().rank(), "flags override the file");
        Path yml = Files.writeString(tmp.resolve("short.yml"), "stage: 1\nbatchSize: 3\n");
        assertEquals(3, TrainConfig.read(yml).batchSize());
    }

    @Test
    void unknownKeysAndMalformedFilesAreErrorsNamingTheFile() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("typo.yaml"), "stage: 2\nlearning_rate: 1e-4\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(yaml));
        assertTrue(e.getMessage().contains(yaml.toString()) && e.getMessage().contains("'learning_rate'"), e.getMessage());
        Path json = Files.writeString(tmp.resolve("typo.json"), "{\"stage\": 2, \"loraRanks\": 8}");
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(json));
        assertTrue(e.getMessage().contains(json.toString()) && e.getMessage().contains("'loraRanks'"), e.getMessage());
        Path list = Files.writeString(tmp.resolve("list.yaml"), "- stage\n- 2\n");
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(list));
        assertTrue(e.getMessage().contains(list.toString()) && e.getMessage().contains("YAML mapping"), e.getMessage());
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "stage: [2\n");
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(broken));
        assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains("YAML"), e.getMessage());
        Path invalid = Files.writeString(tmp.resolve("invalid.yaml"), "stage: 1\nloraRank: 4\n");
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(invalid));
        assertTrue(e.getMessage().contains(invalid.toString()) && e.getMessage().contains("stage 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(tmp.resolve("missing.yaml")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
