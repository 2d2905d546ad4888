package dev.stratus.dimse.service;

import dev.stratus.codec.TransferSyntax;

import java.util.List;

/** The services this SCP provides, and the presentation context choices that follow from them. */
public final class DimseServices {
    private final List<DimseService> services;

    public DimseServices(List<DimseService> services) {
        this.services = List.copyOf(services);
    }

    /** The service for a request Command Field, or null (unrecognized operation). */
    public DimseService forCommand(int commandField) {
        for (DimseService s : services) if (s.commandField() == commandField) return s;
        return null;
    }

    public boolean supports(String abstractSyntax) {
        for (DimseService s : services) if (s.supports(abstractSyntax)) return true;
        return false;
    }

    /** The first proposed transfer syntax that the codec knows and a service accepts (the requestor's preference wins), or null. */
    public TransferSyntax choose(String abstractSyntax, List<String> proposed) {
        for (String uid : proposed) {
            TransferSyntax ts = TransferSyntax.of(uid);
            if (ts == null) continue;
            for (DimseService s : services) {
                if (s.supports(abstractSyntax) && s.accepts(abstractSyntax, ts)) return ts;
            }
        }
        return null;
    }
}
