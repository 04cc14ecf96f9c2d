-- Read models used by the back office.
CREATE VIEW v_order_totals AS
  SELECT o.id AS order_id, o.restaurant_id, o.status, SUM(i.quantity * i.unit_price) AS items_total
  FROM orders o JOIN order_items i ON i.order_id = o.id
  GROUP BY o.id, o.restaurant_id, o.status;

CREATE VIEW v_open_restaurants AS
  SELECT id, name, slug FROM restaurants WHERE is_open = 1;
