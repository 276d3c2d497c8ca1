{{ select_raw_table('sequence_enrollments') }}
