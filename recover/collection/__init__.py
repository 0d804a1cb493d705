"""Collections: one agency's reports across years. Agency names are reduced to one key per agency (``agency``),
and consecutive years of an agency are checked against each other by the links the national template makes
between them (``links``): this year's 上年结转 is last year's 结转下年度, column by column; this year's 现行有效 is
last year's plus this year's 制发 minus 废止."""
