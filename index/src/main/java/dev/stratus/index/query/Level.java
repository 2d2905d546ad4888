package dev.stratus.index.query;

/** Query/retrieve levels of the Study Root model (PS3.4 C.6.2) that QIDO-RS searches. */
public enum Level { STUDY, SERIES, INSTANCE }
