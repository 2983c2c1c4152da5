-- The deterministic checks of `personbase import`, written for DuckDB, on a file of
-- `personbase legacy-demo`: the same per-row checks and the same-number duplicates.
-- The probable-duplicate checks (typos, pinyin) are left out: they are not plain SQL.
-- `{file}` is replaced by the CSV path. The result: one row per code with its count.

CREATE TEMP TABLE raw AS
SELECT (row_number() OVER ()) + 1 AS row, *
FROM read_csv('{file}', all_varchar = true, header = true, delim = ',', quote = '"');

CREATE MACRO check_char(b) AS
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][
        (list_sum(list_transform(range(17),
            lambda i: (ascii(substr(b, i + 1, 1)) - 48)
                 * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i + 1])) % 11)::BIGINT + 1];

CREATE TEMP TABLE n AS
SELECT row,
       coalesce("姓名", '') AS name, coalesce("性别", '') AS gender, "民族" AS eth,
       "出生日期" AS birth, "户口性质" AS htype, "户籍地址" AS addr, "家庭住址" AS home,
       "联系电话" AS phone, upper(trim(coalesce("公民身份号码", ''))) AS raw_num
FROM raw;

CREATE TEMP TABLE c AS
SELECT *,
    CASE WHEN regexp_full_match(raw_num, '[0-9]{15}')
              THEN substr(raw_num, 1, 6) || '19' || substr(raw_num, 7, 9)
         WHEN regexp_full_match(raw_num, '[0-9]{17}[0-9X]') THEN substr(raw_num, 1, 17)
    END AS body
FROM n;

CREATE TEMP TABLE v AS
SELECT *,
    CASE WHEN body IS NULL THEN NULL
         WHEN length(raw_num) = 15 THEN body || check_char(body)
         ELSE raw_num END AS num18,
    body IS NOT NULL AND try_strptime(substr(body, 7, 8), '%Y%m%d') IS NOT NULL
        AND (length(raw_num) = 15 OR check_char(body) = substr(raw_num, 18, 1)) AS valid,
    coalesce(try_strptime(birth, '%Y-%m-%d'), try_strptime(birth, '%Y/%m/%d'),
             try_strptime(birth, '%Y%m%d'), try_strptime(birth, '%Y年%m月%d日'))::DATE AS birth_d
FROM c;

CREATE TEMP TABLE findings AS
SELECT row, 'id.scientific' AS code FROM v WHERE regexp_full_match(raw_num, '[0-9]+[.,][0-9]+E\+?[0-9]+')
UNION ALL SELECT row, 'id.empty' FROM v WHERE raw_num = ''
UNION ALL SELECT row, 'id.length' FROM v
    WHERE body IS NULL AND raw_num <> '' AND length(raw_num) NOT IN (15, 18)
      AND NOT regexp_full_match(raw_num, '[0-9]+[.,][0-9]+E\+?[0-9]+')
UNION ALL SELECT row, 'id.check' FROM v
    WHERE body IS NOT NULL AND length(raw_num) = 18 AND check_char(body) <> substr(raw_num, 18, 1)
UNION ALL SELECT row, 'number.upgrade_15' FROM v WHERE valid AND length(raw_num) = 15
UNION ALL SELECT row, 'gender.mismatch' FROM v
    WHERE valid AND ((gender IN ('男', '1') AND (ascii(substr(num18, 17, 1)) - 48) % 2 = 0)
                  OR (gender IN ('女', '2') AND (ascii(substr(num18, 17, 1)) - 48) % 2 = 1))
UNION ALL SELECT row, 'birth.mismatch' FROM v
    WHERE valid AND birth_d IS NOT NULL AND birth_d <> strptime(substr(num18, 7, 8), '%Y%m%d')::DATE
UNION ALL SELECT row, 'ethnicity.unknown' FROM v
    WHERE eth IS NOT NULL AND eth NOT IN ('汉族', '汉', '01', '1', '满族', '满', '11', '朝鲜族',
        '朝鲜', '10', '蒙古族', '蒙古', '02', '2', '回族', '回', '03', '3')
UNION ALL SELECT row, 'household_type.unknown' FROM v
    WHERE htype IS NOT NULL AND htype NOT IN ('农业户口', '农业', '20', '非农业户口', '非农业', '10',
        '居民户口', '居民', '50')
UNION ALL SELECT row, 'name.empty' FROM v WHERE trim(name) = ''
UNION ALL SELECT row, 'name.digits' FROM v WHERE regexp_matches(name, '[0-9０-９]')
UNION ALL SELECT row, 'name.full_width' FROM v
    WHERE NOT regexp_matches(name, '[0-9０-９]') AND regexp_matches(name, '[Ａ-Ｚａ-ｚ]')
UNION ALL SELECT row, 'name.spaces' FROM v
    WHERE trim(name) <> '' AND NOT regexp_matches(name, '[0-9０-９Ａ-Ｚａ-ｚ]')
      AND (name <> trim(name) OR regexp_matches(name, '[\x{4e00}-\x{9fff}][ 　]|[ 　][\x{4e00}-\x{9fff}]'))
UNION ALL SELECT row, 'name.too_long' FROM v
    WHERE NOT regexp_matches(name, '[0-9０-９Ａ-Ｚａ-ｚ ]') AND length(name) > 10
UNION ALL SELECT row, 'phone.invalid' FROM v
    WHERE phone IS NOT NULL
      AND NOT regexp_full_match(replace(replace(phone, ' ', ''), '-', ''), '1[0-9]{10}|0[0-9]{9,11}')
UNION ALL
SELECT row, CASE WHEN same THEN 'dup.identical' ELSE 'dup.conflict' END FROM (
    SELECT row,
        row_number() OVER w > 1 AS later,
        (name, g, coalesce(birth_d, DATE '1900-01-01'), eth, htype, addr, home, phone)
            = first_value((name, g, coalesce(birth_d, DATE '1900-01-01'), eth, htype, addr,
                           home, phone)) OVER w AS same
    FROM (SELECT *, CASE gender WHEN '男' THEN '1' WHEN '女' THEN '2' ELSE gender END AS g FROM v)
    WHERE num18 IS NOT NULL
    WINDOW w AS (PARTITION BY num18 ORDER BY row)
) WHERE later;

SELECT code, count(*) AS n FROM findings GROUP BY code ORDER BY code;
