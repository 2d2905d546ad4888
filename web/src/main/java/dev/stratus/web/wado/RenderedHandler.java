package dev.stratus.web.wado;

import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.NotFoundException;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.imaging.DecodedFrame;
import dev.stratus.imaging.FrameRenderer;
import dev.stratus.imaging.RenderedImage;
import dev.stratus.imaging.Viewport;
import dev.stratus.imaging.Window;
import dev.stratus.index.StoredInstance;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.HttpProblem;
import dev.stratus.web.http.AcceptHeader;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartRelatedWriter;
import dev.stratus.web.http.PartHeaders;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;

import java.awt.image.BufferedImage;
import java.util.Comparator;
import java.util.List;

/**
 * Rendered resources (PS3.18 10.4.1.1.5, 8.3.5): an instance's first frame or a named frame as image/jpeg, image/png or
 * image/gif (studies, series and frame lists as multipart/related of them), with the {@code window}, {@code viewport} and {@code quality} parameters; thumbnails of a study, series,
 * instance or frame (a representative frame, fitted to 128 x 128 unless a viewport is asked, cached).
 */
public final class RenderedHandler {
    /** PS3.18 leaves the thumbnail's size to the server: small enough for a study browser's tiles. */
    static final int THUMBNAIL_EDGE = 128;
    private static final int DEFAULT_QUALITY = 90;
    /** Instances looked at for one with pixel data when a series or study begins with documents. */
    private static final int REPRESENTATIVE_TRIES = 16;
    private static final String ANNOTATION_IGNORED = "299 - \"annotation is not supported; the image is rendered without annotations\"";

    private final RetrieveService retrieve;
    /**
     * Rendered images and thumbnails by content (the blob key changes when an instance is replaced), the least
     * recently used out first: viewers and study browsers ask for the same images again, and a render plus its JPEG
     * costs milliseconds where a copy from memory costs microseconds.
     */
    private final Cache<String, byte[]> images = Caffeine.newBuilder().maximumWeight(64L << 20)
            .weigher((String key, byte[] image) -> image.length + key.length()).build();

    public RenderedHandler(RetrieveService retrieve) {
        this.retrieve = retrieve;
    }

    /**
     * .../rendered: an instance (its first frame) or one frame as a single image; a study, a series (each instance with
     * pixel data, its first frame) or several frames as multipart/related of images.
     */
    public void rendered(Context ctx) throws Exception {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        String mediaType = negotiate(req.accept());
        Params params = Params.of(ctx, null);
        String frames = ctx.pathParamMap().get("frames");
        if (req.instance() != null && (frames == null || FramesHandler.parseFrameList(frames).length == 1)) {
            int frame = frameNumber(ctx);
            StoredInstance inst = retrieve.find(req.tenant(), req.study(), req.series(), req.instance()).getFirst();
            send(ctx, mediaType, cachedRender(inst, frame, params, mediaType));
            return;
        }
        List<StoredInstance> instances = retrieve.find(req.tenant(), req.study(), req.series(), req.instance());
        int[] numbers = frames == null ? new int[] {1} : FramesHandler.parseFrameList(frames);
        MultipartRelatedWriter w = new MultipartRelatedWriter(ctx.outputStream(), MediaType.MULTIPART_RELATED.withParameter("type", mediaType));
        if (ctx.queryParam("annotation") != null) ctx.header("Warning", ANNOTATION_IGNORED);
        ctx.status(200).contentType(w.contentType());
        for (StoredInstance inst : instances) {
            for (int n : numbers) {
                byte[] image;
                try {
                    image = render(inst, n, params, mediaType);
                } catch (NotFoundException noPixels) {
                    if (frames != null) throw noPixels;
                    continue; // a document or a presentation state in a study: nothing to render
                }
                String location = req.instanceUrl(inst.studyUid(), inst.seriesUid(), inst.sopInstanceUid())
                        + (frames == null ? "" : "/frames/" + n) + "/rendered";
                w.part(PartHeaders.of("Content-Type", mediaType, "Content-Location", location), out -> out.write(image));
            }
        }
        w.finish();
    }

    /** .../thumbnail of a study, series, instance or frame. */
    public void thumbnail(Context ctx) throws Exception {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        String mediaType = negotiate(req.accept());
        int frame = frameNumber(ctx);
        Params params = Params.of(ctx, Viewport.of(THUMBNAIL_EDGE, THUMBNAIL_EDGE));
        List<StoredInstance> candidates = representatives(retrieve.find(req.tenant(), req.study(), req.series(), req.instance()));
        NotFoundException last = null;
        for (StoredInstance inst : candidates) {
            try {
                send(ctx, mediaType, cachedRender(inst, frame, params, mediaType));
                return;
            } catch (NotFoundException noPixels) {
                last = noPixels;
            }
        }
        throw last != null ? last : new NotFoundException("nothing to show");
    }

    /** A single rendered image, from the cache or rendered now (and kept). */
    private byte[] cachedRender(StoredInstance inst, int frame, Params params, String mediaType) throws Exception {
        String key = inst.tenant().name() + "/" + inst.blobKey() + "/" + frame + "/" + params + "/" + mediaType;
        byte[] cached = images.getIfPresent(key);
        if (cached != null) return cached;
        byte[] image = render(inst, frame, params, mediaType); // outside the cache's locks
        images.put(key, image);
        return image;
    }

    private byte[] render(StoredInstance inst, int frame, Params params, String mediaType) throws Exception {
        InstanceHeader header = retrieve.fullHeader(inst);
        if (header.pixelData() == null) throw new NotFoundException("instance " + inst.sopInstanceUid() + " has no pixel data to render");
        DecodedFrame pixels = retrieve.frame(header, frame);
        BufferedImage image = FrameRenderer.render(pixels, header.dataSet(), frame, params.window(), params.viewport());
        return RenderedImage.encode(image, mediaType, params.quality());
    }

    private static void send(Context ctx, String mediaType, byte[] image) {
        if (ctx.queryParam("annotation") != null) ctx.header("Warning", ANNOTATION_IGNORED);
        ctx.status(200).contentType(mediaType).result(image);
    }

    /** The series' (or study's first series') middle instance first, by Instance Number, then the others. */
    private static List<StoredInstance> representatives(List<StoredInstance> found) {
        String firstSeries = found.getFirst().seriesUid();
        List<StoredInstance> series = found.stream().filter(i -> i.seriesUid().equals(firstSeries))
                .sorted(Comparator.comparing(StoredInstance::instanceNumber, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
        int middle = series.size() / 2;
        List<StoredInstance> order = new java.util.ArrayList<>();
        order.add(series.get(middle));
        for (int d = 1; order.size() < Math.min(series.size(), REPRESENTATIVE_TRIES); d++) {
            if (middle + d < series.size()) order.add(series.get(middle + d));
            if (middle - d >= 0 && order.size() < REPRESENTATIVE_TRIES) order.add(series.get(middle - d));
        }
        return order;
    }

    private static int frameNumber(Context ctx) {
        String frames = ctx.pathParamMap().get("frames");
        if (frames == null) return 1;
        int[] numbers = FramesHandler.parseFrameList(frames);
        if (numbers.length != 1) throw HttpProblem.badRequest("one frame is rendered at a time; the URL names " + numbers.length);
        return numbers[0];
    }

    /** The rendered media type the Accept prefers, alone or as multipart/related's type; image/jpeg for any. */
    static String negotiate(AcceptHeader accept) {
        for (AcceptHeader.Range range : accept.ranges()) {
            if (range.weight() == 0) continue;
            MediaType r = range.mediaType();
            if (r.type().equals("multipart") && r.subtype().equals("related")) {
                String type = r.parameter("type").orElse(null);
                if (type == null) return RenderedImage.MEDIA_TYPES.getFirst();
                r = MediaType.parse(type);
            }
            for (String offer : RenderedImage.MEDIA_TYPES) if (r.includes(MediaType.parse(offer))) return offer;
        }
        throw HttpProblem.notAcceptable("rendered images are available as " + String.join(", ", RenderedImage.MEDIA_TYPES));
    }

    /** The query parameters of PS3.18 8.3.5.1; ones that say nothing usable are refused (400) naming the parameter. */
    record Params(Window window, Viewport viewport, int quality) {
        static Params of(Context ctx, Viewport otherwise) {
            try {
                Window window = null;
                String w = ctx.queryParam("window");
                if (w != null) {
                    String[] p = w.split(",", -1);
                    if (p.length < 2 || p.length > 3) throw new IllegalArgumentException("window is center,width[,function]");
                    window = new Window(Double.parseDouble(p[0].strip()), Double.parseDouble(p[1].strip()), p.length == 3 ? p[2] : null);
                }
                Viewport viewport = otherwise;
                String v = ctx.queryParam("viewport");
                if (v != null) {
                    String[] p = v.split(",", -1);
                    if (p.length != 2 && p.length != 6) throw new IllegalArgumentException("viewport is vw,vh[,sx,sy,sw,sh]");
                    int[] n = new int[6];
                    for (int i = 0; i < p.length; i++) n[i] = p[i].isBlank() ? 0 : Integer.parseInt(p[i].strip());
                    viewport = new Viewport(n[0], n[1], n[2], n[3], n[4], n[5]);
                }
                int quality = DEFAULT_QUALITY;
                String q = ctx.queryParam("quality");
                if (q != null) {
                    quality = Integer.parseInt(q.strip());
                    if (quality < 1 || quality > 100) throw new IllegalArgumentException("quality " + quality + " is not between 1 and 100");
                }
                return new Params(window, viewport, quality);
            } catch (IllegalArgumentException e) {
                throw HttpProblem.badRequest("rendering parameter: " + e.getMessage());
            }
        }
    }
}
