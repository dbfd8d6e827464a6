package floor;

import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** One JSON read of Sluice's schema, for the cache's training requests. */
@Path("/floor")
public class Jobs {
  private final AgroalDataSource db;

  public Jobs(AgroalDataSource db) {
    this.db = db;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Long> count() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from jobs")) {
      r.next();
      return Map.of("jobs", r.getLong(1));
    }
  }
}
