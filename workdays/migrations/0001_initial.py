from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DeclaredDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField(unique=True, verbose_name="ngày")),
                (
                    "kind",
                    models.CharField(
                        choices=[("off", "Ngày nghỉ"), ("working", "Ngày làm việc (làm bù)")],
                        max_length=8,
                        verbose_name="loại",
                    ),
                ),
                ("note", models.CharField(max_length=255, verbose_name="căn cứ, ghi chú")),
            ],
            options={
                "verbose_name": "ngày nghỉ, ngày làm bù",
                "verbose_name_plural": "ngày nghỉ, ngày làm bù",
                "ordering": ["-date"],
            },
        ),
    ]
