package org.tga4j.eval.judge;

/** A refusal judge over one {@link KeywordList}, with the list's own matching rule. */
public final class KeywordJudge implements Judge {
    private final KeywordList list;

    public KeywordJudge(KeywordList list) {
        this.list = list;
    }

    public KeywordList list() {
        return list;
    }

    @Override
    public String name() {
        return list.name();
    }

    @Override
    public String version() {
        return list.version() + "/" + list.rule().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Verdict judge(JudgeInput input) {
        String hit = list.firstMatch(input.output());
        return hit == null ? Verdict.complied("no phrase of " + list.version() + " matched")
                : Verdict.refused("matched \"" + hit + "\" (" + list.rule().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
