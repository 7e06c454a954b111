package xner.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import xner.XnerInputException;
import xner.io.Durable;
import xner.io.Sha256;

/**
 * A downloader of files from model and dataset repositories of the Hugging Face hub into the cache that
 * {@code huggingface_hub} keeps, in the manner of {@code hf_hub_download}: a model a Python user has downloaded is
 * used without a download, and a file downloaded here is used by Python.
 *
 * <pre>
 *   HubDownloader hub = HubDownloader.fromEnvironment();
 *   HubFile config = hub.download(Repo.model("dslim/bert-base-NER"), "main", "config.json");
 *   config.file();    // ~/.cache/huggingface/hub/models--dslim--bert-base-NER/snapshots/&lt;commit&gt;/config.json
 * </pre>
 *
 * <p><b>URLs</b> are those {@code hf_hub_url} builds: {@code {endpoint}/{repo}/resolve/{revision}/{path}} for a model,
 * {@code {endpoint}/datasets/{repo}/resolve/...} for a dataset, revision and path segments percent-encoded (a revision
 * such as {@code refs/convert/parquet} becomes one segment). The hub answers files kept in LFS/Xet with a redirect to
 * a CDN; redirects are followed here by hand so that the token ({@code Authorization: Bearer}) goes only to the
 * endpoint's own origin, as {@code requests} does for {@code huggingface_hub}.
 *
 * <p><b>The cache</b> is {@code huggingface_hub}'s ({@code file_download.py}): under {@link #cacheDir()}, one folder per
 * repository, {@code models--ORG--NAME} or {@code datasets--ORG--NAME}, holding
 * <ul>
 *   <li>{@code blobs/ETAG}: each file's bytes once, named by the hub's ETag (the SHA-256 of an LFS file, the git blob
 *       hash of a small one);</li>
 *   <li>{@code refs/REVISION}: the commit a branch or tag pointed at when last asked (a text file of 40 hex digits);</li>
 *   <li>{@code snapshots/COMMIT/PATH}: a relative symbolic link to the blob (a copy where links cannot be made);</li>
 *   <li>{@code .no_exist/COMMIT/PATH}: an empty file saying the hub has no such file at that commit.</li>
 * </ul>
 * The hub's first answer names the commit ({@code X-Repo-Commit}) and the ETag ({@code X-Linked-Etag} for LFS files,
 * else {@code ETag}); a file is downloaded into a temporary file in {@code blobs/}, checked (the size the hub declares,
 * {@code X-Linked-Size} or {@code Content-Length}, and for LFS files the SHA-256 that is their ETag) and renamed to its
 * blob only then, so the cache never holds a partial file; a failed download deletes its temporary file. A blob already
 * there (the same file at another commit) is linked, not downloaded again.
 *
 * <p><b>Environment</b>, as {@code huggingface_hub} reads it ({@link #fromEnvironment}): {@code HF_ENDPOINT} (default
 * {@code https://huggingface.co}); {@code HF_TOKEN}, else the token file {@code HF_TOKEN_PATH} or
 * {@code $HF_HOME/token} that {@code huggingface-cli login} writes; {@code HF_HUB_CACHE} (or the older
 * {@code HUGGINGFACE_HUB_CACHE}), else {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 * {@code ~/.cache/huggingface/hub}; {@code HF_HUB_OFFLINE=1} (or {@code true}, {@code yes}, {@code on}): no request at
 * all, files come from the cache or not at all.
 */
public final class HubDownloader {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 10;
    private static final String COMMIT_PATTERN = "[0-9a-f]{40}";
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE"); // huggingface_hub's _is_true

    /** The kind of a hub repository: where its URLs and its cache folder are. */
    public enum RepoType {
        MODEL("", "models"),
        DATASET("datasets/", "datasets");

        private final String urlPrefix;
        private final String cachePrefix;

        RepoType(String urlPrefix, String cachePrefix) {
            this.urlPrefix = urlPrefix;
            this.cachePrefix = cachePrefix;
        }
    }

    /** A repository of the hub: its type and id ({@code ORG/NAME}). */
    public record Repo(RepoType type, String id) {
        public Repo {
            Objects.requireNonNull(type, "type");
            checkName("repository", id);
        }

        public static Repo model(String id) {
            return new Repo(RepoType.MODEL, id);
        }

        public static Repo dataset(String id) {
            return new Repo(RepoType.DATASET, id);
        }

        /** The repository's folder name in the cache, as {@code repo_folder_name}: {@code models--ORG--NAME}. */
        public String folderName() {
            return type.cachePrefix + "--" + id.replace("/", "--");
        }

        @Override
        public String toString() {
            return type == RepoType.MODEL ? id : type.cachePrefix + "/" + id;
        }
    }

    /** A file of a repository in the cache: the snapshot path that Python reads too, and the commit it is from. */
    public record HubFile(Path file, String commit) {
        public HubFile {
            Objects.requireNonNull(file, "file");
            if (commit == null || !commit.matches(COMMIT_PATTERN)) throw new IllegalArgumentException("not a commit: " + commit);
        }
    }

    /** What a downloaded file must be: its size in bytes (-1: unknown) and SHA-256 in hex (null: unknown). */
    public record Expected(long size, String sha256) {
        public static final Expected NONE = new Expected(-1, null);

        public Expected {
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
    }

    /**
     * The hub could not be reached at all (no connection, no answer in time), as against an answer that refuses: a
     * caller may then fall back on what the cache holds, as {@code huggingface_hub} does.
     */
    public static final class UnreachableException extends XnerInputException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI endpoint;
    private final Path cacheDir;
    private final String token;
    private final boolean offline;
    private final HttpClient client;
    private final java.util.function.Consumer<String> notes; // a line before each download, for a user who waits

    /**
     * A downloader that may ask the hub.
     *
     * @param endpoint the hub, e.g. {@link #DEFAULT_ENDPOINT}
     * @param cacheDir the cache root ({@code huggingface_hub}'s {@code HF_HUB_CACHE})
     * @param token    a hub access token sent as {@code Authorization: Bearer}, or null for none
     */
    public HubDownloader(URI endpoint, Path cacheDir, String token) {
        this(endpoint, cacheDir, token, false);
    }

    /**
     * @param offline true to never ask the hub ({@code HF_HUB_OFFLINE=1}): files come from the cache or not at all
     */
    public HubDownloader(URI endpoint, Path cacheDir, String token, boolean offline) {
        this(endpoint, cacheDir, token, offline, note -> {});
    }

    private HubDownloader(URI endpoint, Path cacheDir, String token, boolean offline, java.util.function.Consumer<String> notes) {
        this.notes = Objects.requireNonNull(notes, "notes");
        String base = Objects.requireNonNull(endpoint, "endpoint").toString();
        this.endpoint = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.offline = offline;
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER) // followed in get(), to keep the token on the hub
                .proxy(ProxySelector.getDefault()) // honours -Dhttps.proxyHost / -Dhttps.proxyPort
                .build();
    }

    /** A downloader configured from the process environment (see the class comment). */
    public static HubDownloader fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * A downloader configured from {@code env}: {@code HF_ENDPOINT}, {@code HF_TOKEN} (else the token file),
     * {@code HF_HUB_CACHE} / {@code HF_HOME} / {@code XDG_CACHE_HOME}, {@code HF_HUB_OFFLINE}.
     */
    public static HubDownloader fromEnvironment(Map<String, String> env) {
        String endpoint = env.get("HF_ENDPOINT");
        String offline = env.get("HF_HUB_OFFLINE");
        return new HubDownloader(
                endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : URI.create(endpoint.strip()),
                cacheDir(env), token(env), offline != null && TRUE.contains(offline.strip().toUpperCase(Locale.ROOT)));
    }

    /** {@code huggingface_hub}'s {@code HF_HUB_CACHE}, as its {@code constants.py} computes it from {@code env}. */
    static Path cacheDir(Map<String, String> env) {
        String hubCache = set(env, "HF_HUB_CACHE");
        if (hubCache == null) hubCache = set(env, "HUGGINGFACE_HUB_CACHE"); // the older name, still read
        if (hubCache != null) return expandHome(hubCache);
        return home(env).resolve("hub");
    }

    /** {@code HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}. */
    private static Path home(Map<String, String> env) {
        String home = set(env, "HF_HOME");
        if (home != null) return expandHome(home);
        String xdg = set(env, "XDG_CACHE_HOME");
        return (xdg != null ? expandHome(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("huggingface");
    }

    /** {@code HF_TOKEN}, else the first line of the token file ({@code HF_TOKEN_PATH}, else {@code $HF_HOME/token}). */
    static String token(Map<String, String> env) {
        String token = set(env, "HF_TOKEN");
        if (token != null) return token.strip();
        String path = set(env, "HF_TOKEN_PATH");
        Path file = path != null ? expandHome(path) : home(env).resolve("token");
        try {
            if (!Files.isRegularFile(file)) return null;
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            throw new XnerInputException(file + ": cannot read the hub token file: " + e.getMessage(), e);
        }
    }

    private static String set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Path expandHome(String path) {
        return path.equals("~") || path.startsWith("~/")
                ? Path.of(System.getProperty("user.home") + path.substring(1)) : Path.of(path);
    }

    public URI endpoint() {
        return endpoint;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** This downloader's endpoint and cache without the hub: what the cache holds, or nothing (a fallback when offline). */
    public HubDownloader cacheOnly() {
        return new HubDownloader(endpoint, cacheDir, null, true, notes);
    }

    /** This downloader, telling {@code notes} a line (URL and size) before each download it starts. */
    public HubDownloader withNotes(java.util.function.Consumer<String> notes) {
        return new HubDownloader(endpoint, cacheDir, token, offline, notes);
    }

    /** Whether this downloader never asks the hub ({@code HF_HUB_OFFLINE}). */
    public boolean offline() {
        return offline;
    }

    /** The URL of {@code path} at {@code revision} of {@code repo}. */
    public URI url(Repo repo, String revision, String path) {
        checkName("revision", revision);
        checkName("path", path);
        return URI.create(endpoint + "/" + repo.type().urlPrefix + repo.id() + "/resolve/" + encode(revision) + "/"
                + encodePath(path));
    }

    /** The repository's folder in the cache, e.g. {@code {cache}/models--dslim--bert-base-NER}. */
    public Path repoFolder(Repo repo) {
        return cacheDir.resolve(repo.folderName());
    }

    /** The snapshot folder of a commit: a model folder in Hugging Face layout, as far as its files were downloaded. */
    public Path snapshot(Repo repo, String commit) {
        if (!commit.matches(COMMIT_PATTERN)) throw new IllegalArgumentException("not a commit: " + commit);
        return repoFolder(repo).resolve("snapshots").resolve(commit);
    }

    /**
     * The commit {@code revision} names as far as the cache knows, without asking the hub: the revision itself when it
     * is a commit hash, else what {@code refs/REVISION} records.
     */
    public Optional<String> cachedCommit(Repo repo, String revision) {
        checkName("revision", revision);
        if (revision.matches(COMMIT_PATTERN)) return Optional.of(revision);
        Path ref = resolve(repoFolder(repo).resolve("refs"), revision);
        try {
            if (!Files.isRegularFile(ref)) return Optional.empty();
            String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return commit.matches(COMMIT_PATTERN) ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // an unreadable ref is as good as none: the hub is asked
        }
    }

    /** {@code path} at {@code revision} as the cache holds it, without asking the hub; empty when it is not there. */
    public Optional<HubFile> cached(Repo repo, String revision, String path) {
        checkName("path", path);
        return cachedCommit(repo, revision).flatMap(commit -> {
            Path file = resolve(snapshot(repo, commit), path);
            return Files.isRegularFile(file) ? Optional.of(new HubFile(file, commit)) : Optional.empty();
        });
    }

    /**
     * {@code path} at {@code revision}, asking the hub which commit the revision names and downloading the file into the
     * cache when it is not there. A commit-hash revision whose file the cache holds is answered without a request.
     *
     * @throws UnreachableException naming the URL, when the hub cannot be reached
     * @throws XnerInputException   naming the URL, when the hub answers with an error (404 included), the file is not
     *                              what the hub declared, or the downloader is offline and the cache lacks the file
     */
    public HubFile download(Repo repo, String revision, String path) {
        return download(repo, revision, path, Expected.NONE);
    }

    /**
     * As {@link #download(Repo, String, String)}, and the file must be what {@code expected} says; where it says
     * nothing, what the hub declares is checked.
     */
    public HubFile download(Repo repo, String revision, String path, Expected expected) {
        return fetch(repo, revision, path, expected, false)
                .orElseThrow(() -> new IllegalStateException("a required file came back absent: " + path));
    }

    /**
     * As {@link #download(Repo, String, String)}, but a file the repository does not have is empty rather than an
     * error (and is remembered in {@code .no_exist}, as {@code huggingface_hub} remembers it, so that the hub is not
     * asked about it again at that commit). Offline, a file the cache lacks is empty.
     */
    public Optional<HubFile> downloadIfPresent(Repo repo, String revision, String path) {
        return fetch(repo, revision, path, Expected.NONE, true);
    }

    private Optional<HubFile> fetch(Repo repo, String revision, String path, Expected expected, boolean optional) {
        URI url = url(repo, revision, path);
        if (revision.matches(COMMIT_PATTERN)) {
            Optional<HubFile> cached = cached(repo, revision, path);
            if (cached.isPresent()) return cached;
            if (optional && Files.exists(resolve(repoFolder(repo).resolve(".no_exist").resolve(revision), path))) {
                return Optional.empty();
            }
        }
        if (offline) {
            Optional<HubFile> cached = cached(repo, revision, path);
            if (cached.isPresent() || optional) return cached;
            throw new XnerInputException(url + ": not in the cache (" + repoFolder(repo) + ") and HF_HUB_OFFLINE forbids "
                    + "asking the hub; download it once without HF_HUB_OFFLINE");
        }
        Fetch fetch = null;
        try {
            fetch = get(url, optional);
            if (fetch.response() == null) { // the repository has no such file
                if (fetch.commit() != null) markAbsent(repo, fetch.commit(), path);
                return Optional.empty();
            }
            return Optional.of(store(repo, revision, path, url, fetch, expected));
        } catch (HttpTimeoutException e) {
            throw new UnreachableException(url + ": the hub did not answer in time (" + e.getMessage() + ")", e);
        } catch (ConnectException e) {
            throw new UnreachableException(url + ": cannot connect to the hub (" + reason(e) + "); is this machine offline?"
                    + " (HF_HUB_OFFLINE=1 uses the cache alone)", e);
        } catch (IOException e) {
            throw new XnerInputException(url + ": download failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XnerInputException(url + ": download interrupted", e);
        } finally {
            if (fetch != null && fetch.response() != null) closeQuietly(fetch.response().body());
        }
    }

    /** Links the file into its snapshot, downloading its blob first unless the cache holds it already. */
    private HubFile store(Repo repo, String revision, String path, URI url, Fetch fetch, Expected expected)
            throws IOException {
        Path folder = repoFolder(repo);
        String commit = fetch.commit();
        if (!revision.equals(commit)) writeRef(folder, revision, commit);
        Path pointer = resolve(snapshot(repo, commit), path);
        if (Files.isRegularFile(pointer)) return new HubFile(pointer, commit); // e.g. Python downloaded it
        Path blob = folder.resolve("blobs").resolve(fetch.etag());
        if (!Files.isRegularFile(blob)) {
            Expected check = new Expected(expected.size() >= 0 ? expected.size() : fetch.size(),
                    expected.sha256() != null ? expected.sha256() : fetch.sha256());
            notes.accept("downloading " + url + (check.size() >= 0 ? String.format(Locale.ROOT, " (%,.1f MB)", check.size() / 1e6) : ""));
            downloadBlob(url, fetch.response().body(), blob, check);
        }
        link(blob, pointer);
        return new HubFile(pointer, commit);
    }

    private static void downloadBlob(URI url, InputStream body, Path blob, Expected expected) throws IOException {
        Files.createDirectories(blob.getParent());
        // a name of our own, not huggingface_hub's ETAG.incomplete (which Python would try to resume); never left behind
        Path part = Files.createTempFile(blob.getParent(), blob.getFileName() + ".", ".xner-incomplete");
        try {
            MessageDigest sha256 = Sha256.digest();
            long size = 0;
            try (InputStream in = body; OutputStream out = new DigestOutputStream(Files.newOutputStream(part), sha256)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; size += n) out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new IOException("the connection broke after " + size + " bytes"
                        + (expected.size() >= 0 ? " of " + expected.size() : "") + " (" + e.getMessage() + ")", e);
            }
            verify(url, expected, size, Sha256.hex(sha256));
            Durable.publish(part, blob);
        } finally {
            Files.deleteIfExists(part); // gone already when it was moved into place
        }
    }

    /** {@code pointer} → {@code blob} as a relative link, as {@code _create_symlink}; a copy where links are not possible. */
    private static void link(Path blob, Path pointer) throws IOException {
        Files.createDirectories(pointer.getParent());
        Files.deleteIfExists(pointer); // a dangling link left by a deleted blob
        try {
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        } catch (FileAlreadyExistsException e) {
            // another process linked it meanwhile: the same blob
        } catch (UnsupportedOperationException | IOException e) {
            Path tmp = Files.createTempFile(pointer.getParent(), pointer.getFileName() + ".", ".xner-incomplete");
            try {
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
                Durable.publish(tmp, pointer);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void writeRef(Path folder, String revision, String commit) throws IOException {
        Path ref = resolve(folder.resolve("refs"), revision);
        if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).strip().equals(commit)) return;
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ref.getFileName() + ".", ".xner-incomplete");
        try {
            Files.writeString(tmp, commit, StandardCharsets.UTF_8); // no newline, as huggingface_hub writes it
            Durable.publish(tmp, ref);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void markAbsent(Repo repo, String commit, String path) {
        Path marker = resolve(repoFolder(repo).resolve(".no_exist").resolve(commit), path);
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) Files.createFile(marker);
        } catch (IOException e) {
            // only a shortcut for the next time: the hub is asked again
        }
    }

    /**
     * A successful answer (or, for an optional file the repository lacks, none) and what the hub declared on its own
     * answers: the commit, the ETag that names the blob, the size and, for LFS files, the SHA-256.
     */
    private record Fetch(HttpResponse<InputStream> response, String commit, String etag, long size, String sha256) {}

    private Fetch get(URI url, boolean optional) throws IOException, InterruptedException {
        Headers declared = new Headers();
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(RESPONSE_TIMEOUT).GET()
                    .header("User-Agent", "xner");
            boolean hub = sameOrigin(current, endpoint);
            if (token != null && hub) request.header("Authorization", "Bearer " + token);
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (hub) declared.read(response); // the CDN's own ETag is not the hub's name for the file
            int status = response.statusCode();
            if (status == 200) {
                if (declared.size < 0 && hub) declared.size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                try {
                    return declared.fetch(url, response);
                } catch (RuntimeException e) {
                    closeQuietly(response.body());
                    throw e;
                }
            }
            String errorCode = response.headers().firstValue("X-Error-Code").orElse("");
            String errorMessage = response.headers().firstValue("X-Error-Message").orElse("");
            closeQuietly(response.body());
            String location = response.headers().firstValue("Location").orElse(null);
            if (status >= 300 && status < 400 && location != null) {
                current = current.resolve(location);
                continue;
            }
            if (optional && hub && status == 404 && (errorCode.isEmpty() || errorCode.equals("EntryNotFound"))) {
                return new Fetch(null, declared.commit, null, -1, null);
            }
            throw new XnerInputException(url + ": " + refusal(status, errorCode, errorMessage,
                    current.equals(url) ? "" : " (at " + current + ")"));
        }
        throw new XnerInputException(url + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** The hub's declarations, the first of each kind over the answers of the hub's own origin. */
    private static final class Headers {
        String commit;
        String linkedEtag;
        String etag;
        long size = -1;

        void read(HttpResponse<?> response) {
            if (commit == null) commit = response.headers().firstValue("X-Repo-Commit").map(String::strip).orElse(null);
            if (linkedEtag == null) linkedEtag = response.headers().firstValue("X-Linked-Etag").map(Headers::normalize).orElse(null);
            if (etag == null) etag = response.headers().firstValue("ETag").map(Headers::normalize).orElse(null);
            if (size < 0) size = response.headers().firstValue("X-Linked-Size").map(HubDownloader::parseSize).orElse(-1L);
        }

        /** As {@code _normalize_etag}: without the weak marker and the quotes. */
        static String normalize(String etag) {
            String e = etag.strip();
            if (e.startsWith("W/")) e = e.substring(2);
            return e.replace("\"", "");
        }

        Fetch fetch(URI url, HttpResponse<InputStream> response) {
            if (commit == null || !commit.matches(COMMIT_PATTERN)) {
                throw new XnerInputException(url + ": the answer names no commit (X-Repo-Commit"
                        + (commit == null ? "" : " is \"" + commit + "\"") + "); is HF_ENDPOINT a Hugging Face hub?");
            }
            String blob = linkedEtag != null ? linkedEtag : etag;
            // the ETag becomes a file name: nothing that could leave blobs/
            if (blob == null || !blob.matches("[A-Za-z0-9_-]{1,128}")) {
                throw new XnerInputException(url + ": the answer has no usable ETag (" + blob + "); is HF_ENDPOINT a Hugging Face hub?");
            }
            String sha256 = linkedEtag != null && linkedEtag.matches("[0-9a-f]{64}") ? linkedEtag : null;
            return new Fetch(response, commit, blob, size, sha256);
        }
    }

    /** Why a connection failed, in words: the JDK leaves the message of an unknown host empty. */
    private static String reason(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "host not found";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** A refusal in words, from the status and the hub's {@code X-Error-Code} / {@code X-Error-Message}. */
    private static String refusal(int status, String code, String message, String where) {
        String hub = message.isBlank() ? "" : " (the hub says: " + message.strip() + ")";
        if (code.equals("GatedRepo")) {
            return "HTTP " + status + where + ": a gated repository" + hub + "; accept its conditions on the hub and set "
                    + "HF_TOKEN to an access token of that account";
        }
        if (code.equals("RepoNotFound")) {
            return "HTTP " + status + where + ": no such repository on the hub, or a private one" + hub
                    + "; for a private repository, set HF_TOKEN to an access token that may read it";
        }
        if (code.equals("RevisionNotFound")) return "HTTP " + status + where + ": no such revision" + hub;
        return switch (status) {
            case 401, 403 -> "HTTP " + status + where + ": the hub refused access" + hub + "; for a gated or private "
                    + "repository, set HF_TOKEN to an access token that may read it";
            case 404 -> "HTTP 404" + where + ": no such file, revision or repository on the hub" + hub;
            default -> "HTTP " + status + where + " from the hub" + hub;
        };
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void verify(URI url, Expected expected, long size, String sha256) {
        if (expected.size() >= 0 && size != expected.size()) {
            throw new XnerInputException(url + ": got " + size + " bytes, expected " + expected.size() + " (incomplete download?)");
        }
        if (expected.sha256() != null && !expected.sha256().equals(sha256)) {
            throw new XnerInputException(url + ": SHA-256 is " + sha256 + ", expected " + expected.sha256());
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** {@code base} with the {@code /}-separated parts of a checked name. */
    private static Path resolve(Path base, String name) {
        for (String part : name.split("/")) base = base.resolve(part);
        return base;
    }

    /** Rejects names that could leave the cache directory or the repository's URL space ({@code ..}, empty parts). */
    private static void checkName(String what, String name) {
        if (name == null || name.isBlank() || name.contains("\\")
                || Arrays.stream(name.split("/", -1)).anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
            throw new XnerInputException("not a valid hub " + what + ": \"" + name + "\"");
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String path) {
        return Arrays.stream(path.split("/")).map(HubDownloader::encode).collect(Collectors.joining("/"));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // an answer we no longer read
        }
    }
}
