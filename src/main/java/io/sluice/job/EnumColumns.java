package io.sluice.job;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores job types and workloads as the lowercase words the API and the schema use. */
final class EnumColumns {
  private EnumColumns() {}

  @Converter
  static final class TypeColumn implements AttributeConverter<JobType, String> {
    @Override
    public String convertToDatabaseColumn(JobType value) {
      return value == null ? null : value.value();
    }

    @Override
    public JobType convertToEntityAttribute(String column) {
      return column == null ? null : JobType.valueOf(column.toUpperCase());
    }
  }

  @Converter
  static final class WorkloadColumn implements AttributeConverter<Workload, String> {
    @Override
    public String convertToDatabaseColumn(Workload value) {
      return value == null ? null : value.value();
    }

    @Override
    public Workload convertToEntityAttribute(String column) {
      return column == null ? null : Workload.valueOf(column.toUpperCase());
    }
  }
}
