package dev.stratus.web.ui;

import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.web.auth.Authorization;
import dev.stratus.web.auth.Capability;
import io.javalin.config.RoutesConfig;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The study browser and the OHIF viewer, for the default tenant at {@code /} and for any other at
 * {@code /tenants/{tenant}/}: the pages and the viewer's files are open (they hold no data; the data comes through
 * DICOMweb under its routes' own checks), the study download reads like WADO-RS. The viewer is looked for at start.
 */
public final class UiRoutes {
    private static final String[] PREFIXES = {"", "/tenants/{tenant}"};

    private UiRoutes() {}

    /**
     * @param retrieve  the archive's, null while it is still opening (the download then answers 503)
     * @param viewerDir where OHIF's build was installed ({@code ./stratus viewer install}); null or missing: no viewer
     * @param authorization whether, and with which provider and client, the browser and the viewer sign in
     */
    public static void register(RoutesConfig routes, Supplier<RetrieveService> retrieve, Path viewerDir, Authorization authorization) {
        BrowserSignIn signIn = new BrowserSignIn(authorization);
        ViewerFiles viewer = ViewerFiles.in(viewerDir, signIn);
        BrowserPages pages = BrowserPages.load(viewer.installed(), signIn.issuerOrigin);
        StudyArchiveHandler archive = new StudyArchiveHandler(retrieve);
        routes.get("/ui/config.json", signIn::config, Capability.OPEN); // before /ui/{file}, which would match it too
        routes.get("/ui/{file}", pages::asset, Capability.OPEN);
        for (String prefix : PREFIXES) {
            routes.get(prefix + "/", pages::index, Capability.OPEN);
            routes.get(prefix + "/api/studies/{study}/archive.zip", archive::handle, Capability.READ);
            routes.get(prefix + "/viewer/", viewer::handle, Capability.OPEN);
            routes.get(prefix + "/viewer/<file>", viewer::handle, Capability.OPEN);
        }
    }
}
