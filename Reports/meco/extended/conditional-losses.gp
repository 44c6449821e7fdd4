# Drawn by the replicate harness; run `gnuplot conditional-losses.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Held-out loss with no, true and wrong metadata, per arm"
set xlabel "arm: 1 = STD, 2 = MECO, 3 = URL100, 4 = STD@1.5T, 5 = HASHED, 6 = SUFFIX, 7 = TOP, 8 = FIXED, 9 = TOPIC, 10 = MIX, 11 = COOL20, 12 = COOL30, 13 = UNMASKED, 14 = XDOC-STD, 15 = XDOC-MECO"
set ylabel "loss (nats/token)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'conditional-losses.png'
plot 'conditional-losses.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "no metadata (ℓ_u)", \
     'conditional-losses.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "true metadata (ℓ_c)", \
     'conditional-losses.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "wrong metadata (ℓ_w)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'conditional-losses.svg'
plot 'conditional-losses.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "no metadata (ℓ_u)", \
     'conditional-losses.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "true metadata (ℓ_c)", \
     'conditional-losses.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "wrong metadata (ℓ_w)"
unset output
