package org.tga4j.runtime.text;

/**
 * HF Jinja {@code chat_template} strings that render the same text as our {@link ChatTemplate}s, written into
 * {@code tokenizer_config.json} so Python tools (transformers' {@code apply_chat_template}) see the same prompt.
 */
final class JinjaChatTemplates {
    private JinjaChatTemplates() {}

    static final String LLAVA_V1_SYSTEM = "A chat between a curious human and an artificial intelligence assistant. "
            + "The assistant gives helpful, detailed, and polite answers to the human's questions.";
    static final String VICUNA_V1_SYSTEM = "A chat between a curious user and an artificial intelligence assistant. "
            + "The assistant gives helpful, detailed, and polite answers to the user's questions.";
    static final String LLAVA_LLAMA_2_SYSTEM = "You are a helpful language and vision assistant. "
            + "You are able to understand the visual content that the user provides, "
            + "and assist the user with a variety of tasks using natural language.";
    static final String CHATML_SYSTEM = "You are a helpful assistant.";

    /** The Jinja template for a template name, or null where HF has none ({@code none}). */
    static String forName(String name) {
        return switch (name) {
            case "llava_v1" -> vicunaStyle(LLAVA_V1_SYSTEM);
            case "vicuna_v1" -> vicunaStyle(VICUNA_V1_SYSTEM);
            case "llava_llama_2" -> "{% if messages[0]['role'] == 'system' %}{% set sys = messages[0]['content'] %}"
                    + "{% set loop_messages = messages[1:] %}{% else %}{% set sys = '" + LLAVA_LLAMA_2_SYSTEM + "' %}"
                    + "{% set loop_messages = messages %}{% endif %}"
                    + "{% for message in loop_messages %}{% if message['role'] == 'user' %}"
                    + "{% if loop.first and sys %}{{ bos_token + '[INST] <<SYS>>\\n' + sys + '\\n<</SYS>>\\n\\n'"
                    + " + message['content'] + ' [/INST]' }}"
                    + "{% else %}{{ bos_token + '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}"
                    + "{% else %}{{ ' ' + message['content'] + ' ' + eos_token }}{% endif %}{% endfor %}";
            case "mistral_instruct" -> "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
                    + "{% set sys = messages[0]['content'] + '\\n\\n' %}{% set loop_messages = messages[1:] %}"
                    + "{% else %}{% set sys = '' %}{% set loop_messages = messages %}{% endif %}"
                    + "{% for message in loop_messages %}{% if message['role'] == 'user' %}"
                    + "{% if loop.first %}{{ '[INST] ' + sys + message['content'] + ' [/INST]' }}"
                    + "{% else %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}"
                    + "{% else %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}";
            case "chatml" -> "{% for message in messages %}{% if loop.first and message['role'] != 'system' %}"
                    + "{{ '<|im_start|>system\\n" + CHATML_SYSTEM + "<|im_end|>\\n' }}{% endif %}"
                    + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
                    + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
            case "plain" -> "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
                    + "{{ '<image>' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + '\\n' }}"
                    + "{% endif %}{% endfor %}";
            default -> null;
        };
    }

    private static String vicunaStyle(String defaultSystem) {
        return "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ messages[0]['content'] }}"
                + "{% set loop_messages = messages[1:] %}{% else %}{{ \"" + defaultSystem + "\" }}"
                + "{% set loop_messages = messages %}{% endif %}"
                + "{% for message in loop_messages %}{% if message['role'] == 'user' %}"
                + "{% if loop.first %}{{ ' ' }}{% endif %}{{ 'USER: ' + message['content'] + ' ' }}"
                + "{% else %}{{ 'ASSISTANT: ' + message['content'] + eos_token }}{% endif %}{% endfor %}"
                + "{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}";
    }
}
