package org.tga4j.eval.report;

import java.util.List;
import org.tga4j.eval.metrics.GroupMetrics;

/**
 * The metrics under one judge.
 *
 * @param judge judge name
 * @param judgeVersion judge version id (list version, threshold, endpoint model and prompt hash)
 * @param judgeSource where the judge's list and rule come from, or null
 * @param groups one entry per (set, setting)
 */
public record JudgeResult(String judge, String judgeVersion, String judgeSource, List<GroupMetrics> groups) {}
