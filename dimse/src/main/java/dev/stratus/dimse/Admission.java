package dev.stratus.dimse;

import dev.stratus.dimse.association.Association;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who gets an association slot, decided at accept time against three budgets: connections in all, from one
 * remote address, and not yet established. A full set-up budget (or a full house) first evicts the oldest
 * connection that has sent no whole A-ASSOCIATE-RQ for {@link DimseSettings#SILENT_AFTER}: real requestors
 * send it at once, so silent sockets, however many and from however many addresses, cannot keep others out.
 */
final class Admission {
    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final DimseSettings settings;
    private final Duration silentAfter;
    private final Set<Association> live = new LinkedHashSet<>(); // in accept order: the oldest first

    Admission(DimseSettings settings) {
        this.settings = settings;
        this.silentAfter = settings.artimTimeout().compareTo(DimseSettings.SILENT_AFTER) < 0 ? settings.artimTimeout() : DimseSettings.SILENT_AFTER;
    }

    /** How long a refused connection may take to send its request (and then to close) before it is simply closed. */
    Duration refusalGrace() {
        return silentAfter;
    }

    /** Takes a slot for the association, or says which limit refuses it; may close a silent connection to make room. */
    synchronized String admit(Association a) {
        InetAddress peer = a.peer();
        int fromPeer = 0, pending = 0;
        for (Association o : live) {
            if (o.peer().equals(peer)) fromPeer++;
            if (o.phase() != Association.Phase.ESTABLISHED) pending++;
        }
        if (fromPeer >= settings.maxAssociationsPerPeer()) {
            return fromPeer + " associations from " + peer.getHostAddress() + " already (maxAssociationsPerPeer)";
        }
        boolean full = live.size() >= settings.maxAssociations();
        if (full || pending >= settings.maxPendingAssociations()) {
            Association silent = oldestSilent();
            if (silent == null) {
                return full ? "all " + live.size() + " association slots taken (maxAssociations)"
                        : pending + " associations being set up already (maxPendingAssociations)";
            }
            log.warn("{}: closed to make room, no A-ASSOCIATE-RQ after {}", silent, silentAfter);
            live.remove(silent);
            silent.close();
        }
        live.add(a);
        return null;
    }

    private Association oldestSilent() {
        long now = System.nanoTime();
        for (Association o : live) if (o.awaitingRequestLongerThan(silentAfter, now)) return o;
        return null;
    }

    synchronized void release(Association a) {
        live.remove(a);
    }

    synchronized int size() {
        return live.size();
    }

    synchronized List<Association> snapshot() {
        return List.copyOf(live);
    }
}
