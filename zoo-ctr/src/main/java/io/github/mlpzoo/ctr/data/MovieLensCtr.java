package io.github.mlpzoo.ctr.data;

import io.github.mlpzoo.ctr.features.Sequences;
import io.github.mlpzoo.ctr.features.Vocabulary;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MovieLens ml-latest-small as a CTR task, exactly as {@code movielens_latest_small/CTR_PROTOCOL.md} defines it:
 * closed vocabularies on all ratings (user, movie, first genre; 0 = padding; 611 / 9,725 / 20 rows), one sample per
 * rating event but each user's first, label = rating ≥ 4, history = the earlier positive events of the user in
 * (timestamp, movieId) order, last 50, left-padded (movie and genre rows), and the splits LOO (last event → test,
 * the one before → valid) and L5 (last 5 → test, the 5 before → valid). Sparse columns: user_id, movie_id,
 * genre_id; history rows: movie, genre.
 *
 * <p>The data is read from a folder the user gives ({@code ratings.csv}, {@code movies.csv}); its license forbids
 * commercial use and redistribution, so it is never shipped.
 */
public final class MovieLensCtr {

    /** History length of the protocol. */
    public static final int MAX_LEN = 50;

    /** The two split protocols. */
    public enum Split {
        /** Leave-one-out: 1 test and 1 valid sample per user. */
        LOO(1),
        /** Last 5: 5 test and 5 valid samples per user. */
        L5(5);

        final int k;

        Split(int k) {
            this.k = k;
        }
    }

    /** The three parts of one split. */
    public record Parts(CtrData train, CtrData valid, CtrData test) {}

    private final CtrData all;
    private final int[] positionFromEnd;

    private MovieLensCtr(CtrData all, int[] positionFromEnd) {
        this.all = all;
        this.positionFromEnd = positionFromEnd;
    }

    /**
     * Reads {@code dir/ratings.csv} and {@code dir/movies.csv}.
     *
     * @throws IOException if a file is missing or malformed (the message names it)
     */
    public static MovieLensCtr load(Path dir) throws IOException {
        Path ratingsFile = dir.resolve("ratings.csv");
        Path moviesFile = dir.resolve("movies.csv");
        for (Path p : new Path[] {ratingsFile, moviesFile}) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("MovieLens: " + p + " not found; expected the ml-latest-small folder with "
                        + "ratings.csv and movies.csv");
            }
        }
        Map<Integer, String> firstGenre = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(moviesFile, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                int movie = Integer.parseInt(line.substring(0, line.indexOf(',')));
                String genres = line.substring(line.lastIndexOf(',') + 1);   // titles may hold commas, genres do not
                firstGenre.put(movie, genres.split("\\|")[0]);
            }
        }
        // user -> events (timestamp, movie, label)
        TreeMap<Integer, List<long[]>> byUser = new TreeMap<>();
        List<Integer> users = new ArrayList<>();
        List<Integer> movies = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(ratingsFile, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.startsWith("userId,movieId,rating,timestamp")) {
                throw new IOException("MovieLens: " + ratingsFile + " has header '" + header
                        + "'; expected userId,movieId,rating,timestamp");
            }
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",");
                int user = Integer.parseInt(f[0]);
                int movie = Integer.parseInt(f[1]);
                double rating = Double.parseDouble(f[2]);
                long ts = Long.parseLong(f[3]);
                byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(new long[] {ts, movie, rating >= 4.0 ? 1 : 0});
                users.add(user);
                movies.add(movie);
            }
        }
        Vocabulary<Integer> userVocab = Vocabulary.closed("user_id", users);
        Vocabulary<Integer> movieVocab = Vocabulary.closed("movie_id", movies);
        List<String> genresOfRated = new ArrayList<>();
        for (int m : movieVocab.asMap().keySet()) {
            String g = firstGenre.get(m);
            if (g == null) {
                throw new IOException("MovieLens: movie " + m + " is rated but not in " + moviesFile);
            }
            genresOfRated.add(g);
        }
        Vocabulary<String> genreVocab = Vocabulary.closed("genre_id", genresOfRated);

        int n = 0;
        for (List<long[]> ev : byUser.values()) {
            n += ev.size() - 1;
        }
        long[] sparse = new long[n * 3];
        long[] history = new long[n * 2 * MAX_LEN];
        float[] labels = new float[n];
        int[] userIds = new int[n];
        int[] fromEnd = new int[n];
        int row = 0;
        for (Map.Entry<Integer, List<long[]>> e : byUser.entrySet()) {
            List<long[]> ev = e.getValue();
            ev.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int uid = userVocab.id(e.getKey());
            int[] posMovies = new int[ev.size()];
            int[] posGenres = new int[ev.size()];
            int npos = 0;
            for (int i = 0; i < ev.size(); i++) {
                int movie = (int) ev.get(i)[1];
                int mid = movieVocab.id(movie);
                int gid = genreVocab.id(firstGenre.get(movie));
                if (i > 0) {
                    sparse[row * 3] = uid;
                    sparse[row * 3 + 1] = mid;
                    sparse[row * 3 + 2] = gid;
                    int base = row * 2 * MAX_LEN;
                    Sequences.encode(posMovies, 0, npos, MAX_LEN, Sequences.Padding.LEFT, history, base);
                    Sequences.encode(posGenres, 0, npos, MAX_LEN, Sequences.Padding.LEFT, history, base + MAX_LEN);
                    labels[row] = ev.get(i)[2];
                    userIds[row] = uid;
                    fromEnd[row] = ev.size() - 1 - i;
                    row++;
                }
                if (ev.get(i)[2] == 1) {
                    posMovies[npos] = mid;
                    posGenres[npos] = gid;
                    npos++;
                }
            }
        }
        return new MovieLensCtr(new CtrData(3, 2, MAX_LEN, sparse, history, labels, userIds), fromEnd);
    }

    /** Every sample, users in ascending order, each user's events in protocol order. */
    public CtrData all() {
        return all;
    }

    /** The train, valid and test parts of {@code split}. */
    public Parts split(Split split) {
        List<Integer> train = new ArrayList<>();
        List<Integer> valid = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int r = 0; r < all.size(); r++) {
            int k = positionFromEnd[r];
            (k < split.k ? test : k < 2 * split.k ? valid : train).add(r);
        }
        return new Parts(all.subset(rows(train)), all.subset(rows(valid)), all.subset(rows(test)));
    }

    private static int[] rows(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
