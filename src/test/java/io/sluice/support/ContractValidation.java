package io.sluice.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Checks every response of every API test against the committed contract, {@code
 * openapi/openapi.yaml} — status, headers and body — so the next mismatch fails the build where it
 * is introduced. Requests are not checked: the hostile-input tests send what the contract forbids
 * on purpose. Installed once, for every Quarkus test, through the test callback SPI.
 */
public class ContractValidation implements QuarkusTestBeforeEachCallback {
  private static volatile boolean installed;

  @Override
  public void beforeEach(QuarkusTestMethodContext context) {
    install();
  }

  static synchronized void install() {
    if (installed) {
      return;
    }
    OpenApiInteractionValidator validator =
        OpenApiInteractionValidator.createForSpecificationUrl("openapi/openapi.yaml")
            .withLevelResolver(
                LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .build())
            .build();
    RestAssured.filters(new OpenApiValidationFilter(validator));
    installed = true;
  }
}
